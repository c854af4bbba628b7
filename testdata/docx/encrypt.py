#!/usr/bin/python3
"""Saves a document as a password-protected DOCX with LibreOffice.

Called by make-fixtures.sh: encrypt.py PROFILEDIR IN OUT. Starts a headless
LibreOffice with its own profile, opens IN and stores it as "MS Word 2007
XML" with a password, as a person does with File > Save As > "Save with
password": the result is an encrypted OLE container (EncryptedPackage,
EncryptionInfo), not a zip. Needs the Debian package python3-uno, and the
system python (/usr/bin/python3) that it installs into."""
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import NamedValue, PropertyValue

profile, src, dst = (os.path.abspath(a) for a in sys.argv[1:4])
pipe = "registerlyft_docx_%d" % os.getpid()
proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nolockcheck",
                         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(150):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.2)
    if ctx is None:
        sys.exit("encrypt.py: LibreOffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    # The OOXML export encrypts when the media descriptor carries the
    # password as EncryptionData "OOXPassword" with the crypto engine to use
    # (what the Save As dialog's password sets).
    secret = []
    for name, value in (("CryptoType", "StrongEncryptionDataSpace"), ("OOXPassword", "hemligt")):
        nv = NamedValue()
        nv.Name, nv.Value = name, value
        secret.append(nv)
    doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "MS Word 2007 XML"),
                                                  prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", tuple(secret)))))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge goes down with LibreOffice
finally:
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
