#!/usr/bin/env python3
"""Writes the Writer documents that make-fixtures.sh converts to DOCX.

Called by make-fixtures.sh: render.py OUTDIR. Writes into OUTDIR

  notice.fodt   a privacy notice in the style of seed 004 (three of its
                sections, text as in the seed): a title (Heading 1) and one
                Heading 2 per activity, "Syfte/ändamål:", "Rättslig grund:",
                "Lagring/gallring:" ... sections, line breaks inside a
                paragraph, a tab after a label, a bulleted list, and a tracked
                change (deleted and inserted text) in one retention; the
                document title is set in its metadata
  notice_gold.json
                the records the notice must give: the seed's gold records of
                the same three sections (../gold/004_670afb2e98eb9082.json)
  notice_tables.fodt
                the same three sections laid out as tables: a Heading 2 per
                activity, then a two-column table of label | text (the gold
                is notice_gold.json)
  merged.fodt   the register of ../tables-csv/merged.xlsx as a Writer table: a
                title row and a subtitle row merged over all eight columns, the
                board merged down over every entry, the first activity (and its
                purpose, legal basis, retention, risk) merged over two rows,
                two paragraphs in some cells, and a paragraph after the table
  empty.fodt    a document with nothing in it (one empty paragraph)
"""
import html
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1]


def esc(s):
    return html.escape(s, quote=False)


HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>%(meta)s</office:meta>
<office:font-face-decls>
 <style:font-face style:name="DejaVu Sans" svg:font-family="'DejaVu Sans'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:text-properties style:font-name="DejaVu Sans" fo:font-size="10pt" fo:language="sv" fo:country="SE"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
  <style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
  <style:text-properties fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">
  <style:text-properties fo:font-size="16pt"/>
 </style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">
  <style:text-properties fo:font-size="13pt"/>
 </style:style>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.2cm"/>
 </style:style>
 <text:list-style style:name="Bullets">
  <text:list-level-style-bullet text:level="1" text:bullet-char="•">
   <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
    <style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/>
   </style:list-level-properties>
  </text:list-level-style-bullet>
 </text:list-style>
</office:styles>
<office:automatic-styles>
%(auto)s
</office:automatic-styles>
%(master)s
<office:body><office:text>
%(tracked)s
"""
TAIL = "</office:text></office:body></office:document>\n"


def p(text, style="Text_20_body"):
    """A paragraph; "\\n" in text is a line break, "\\t" a tab."""
    parts = [esc(s).replace("\t", "<text:tab/>") for s in text.split("\n")]
    return '<text:p text:style-name="%s">%s</text:p>' % (style, "<text:line-break/>".join(parts))


def h(text, level):
    return '<text:h text:style-name="Heading_20_%d" text:outline-level="%d">%s</text:h>' % (level, level, esc(text))


def bullets(items):
    return ('<text:list text:style-name="Bullets">'
            + "".join('<text:list-item><text:p text:style-name="Text_20_body">%s</text:p></text:list-item>' % esc(i) for i in items)
            + "</text:list>")


NOTICE_TITLE = "Personuppgiftsbehandling inom Kommunstyrelsens förvaltning"

# The tracked change of the Visselblåsarfunktion retention: "Gallras efter
# två år." deleted, "Bevaras." inserted; a reader must give "Bevaras.".
TRACKED = """<text:tracked-changes text:track-changes="false">
 <text:changed-region xml:id="ct1" text:id="ct1">
  <text:deletion>
   <office:change-info><dc:creator>Registrator</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>
   <text:p>Gallras efter två år.</text:p>
  </text:deletion>
 </text:changed-region>
 <text:changed-region xml:id="ct2" text:id="ct2">
  <text:insertion>
   <office:change-info><dc:creator>Registrator</dc:creator><dc:date>2024-03-01T10:00:00</dc:date></office:change-info>
  </text:insertion>
 </text:changed-region>
</text:tracked-changes>"""


def notice():
    body = [
        h(NOTICE_TITLE, 1),
        p("Inom Luleå kommun är varje enskild nämnd/styrelse personuppgiftsansvarig för den behandling av personuppgifter som de gör och ansvarar för att sådan behandling sker på ett lagligt sätt."),
        p("Nedan beskriver vi övergripande den personuppgiftsbehandling som sker inom kommunstyrelsens förvaltning, dina rättigheter enligt dataskyddsförordningen och hur du kan kontakta oss."),
        h("Personuppgiftsansvarig", 2),
        p("Kommunstyrelsen är personuppgiftsansvarig för de behandlingar av personuppgifter som sker inom deras ansvarsområde."),
        p("Postadress: Stadshuset, Luleå Kommun, 971 85 Luleå\nE-post: kommunstyrelseforvaltningen@lulea.se\nTelefon (växel): 0920-45 30 00"),

        h("Besöker vår reception i stadshuset", 2),
        p("Syfte/ändamål: För att kunna administrera besök i stadshusets reception. Vi använder ett IT-stöd för vår besöksregistrering och för att förmedla ärenden vidare till berörda förvaltningar."),
        p("Personuppgifterna har vi fått ifrån: Besökare/kund."),
        p("Rättslig grund: Personuppgifterna används för att vi och berörda handläggare/förvaltningar ska kunna handlägga de ärenden som inkommer (myndighetsutövning), i vissa fall följer man även upp ärendeflödet på olika sätt (uppgifter av allmänt intresse)."),
        p("Följande kategorier av personuppgifter behandlas: Namn, kontaktuppgifter och personnummer."),
        p("Vilka hanterar dina personuppgifter/vilka vi lämnar ut dina personuppgifter till:"),
        p("Internt: Kommunens olika medarbetare och verksamheter.\nExternt: Kontaktuppgifter till kommunens personal/förvaltning delas med de personer som söker kontakt samt med berörd systemleverantör av vårt IT-stöd i samband med support."),
        p("Automatiskt beslutsfattande/profilering: Förekommer ej."),
        p("Lagring/gallring: Personuppgifter i avslutade ärenden ska gallras efter 30 dagar."),

        h("Telefonsamtal till Luleå kommuns kundcenter", 2),
        p("Syfte/ändamål: Syftet är att hantera inkommande samtal till kommunens olika verksamheter samt att ta emot och vidarebefordra synpunkter och frågor till rätt verksamhet. I vissa fall erbjuds inringaren att delta i en efterföljande kundundersökning i syfte kunna göra en utvärdering av vår service."),
        p("Personuppgifterna har vi fått från: Inringaren."),
        p("Rättslig grund: Personuppgifterna används för att vi och berörda förvaltningar ska kunna handlägga de ärenden som inkommer (myndighetsutövning), i vissa fall följer man även upp ärendeflödet på olika sätt (uppgift av allmänt intresse). Du som ringt in kan ibland erbjudas att delta i en efterföljande kundundersökning, detta är helt frivilligt och för detta ändamål tillämpas samtycke som rättslig grund)."),
        p("Följande kategorier av personuppgifter behandlas: Namn och kontaktuppgifter.\nI undantagsfall kan ett samtal spelas in om det upplevs som hotfullt. Syftet med inspelningen är dels att vid hot kunna lämna ett bra underlag för vidare hantering, ett annat syfte med inspelningarna är att uppfylla de krav kommunen har som arbetsgivare enligt Arbetsmiljöverkets föreskrift (AFS 1993:2), ska arbetsgivaren förebygga, dokumentera och följa upp förekomster av hot och våld för anställda."),
        p("Vilka hanterar dina uppgifter/vilka vi lämnar ut dina personuppgifter till:"),
        p("Internt: Kommunens olika medarbetare och verksamheter.\nExternt:"),
        bullets([
            "Kontaktuppgifter till kommunens personal delas med de personer som söker kontakt.",
            "Leverantör av extern telefonitjänst: Vissa samtal kan komma att hanteras av en extern leverantör via webbformulär som går till Luleå kommuns kundcenters ärendehanteringssystem för att kunna hantera medborgarnas, kundernas samt anställdas frågor och ärenden. Det gäller främst samtal som Luleå kommuns kundcenter inte hunnit omhänderta.",
            "Leverantör som tillhandahåller vårt IT-stöd för ärendehantering samt leverantör som genomför kundundersökning.",
            "I undantagsfall kan ett samtal spelas in om det upplevs som hotfullt och ljudfilen kan därefter komma att lämnas vidare till polisen.",
            "Uppgifter kan komma att lämnas ut på begäran enligt offentlighetsprincipen efter sekretessprövning.",
        ]),
        p("Automatiskt beslutsfattande/profilering: Förekommer ej."),
        p("Lagring/gallring: Arkivlagen och gallringsinstruktioner i vår dokumenthanteringsplan bestämmer hur länge uppgifterna sparas."),

        h("Visselblåsarfunktion", 2),
        p("Syfte/ändamål: Visselblåsarfunktionen är en rapporteringskanal som syftar till att visselblåsare ska kunna anmäla allvarliga missförhållanden. Behandlingen av personuppgifter sker för att administrera mottagande av visselblåsaranmälningar, möjliggöra korrespondens mellan anmälaren och Luleå kommun samt för att lämna över anmälningar till Luleå kommun eller till extern utredare."),
        p("Personuppgifterna har vi fått från: Anmälaren."),
        p("Rättslig grund:\tRättslig förpliktelse."),
        p("Följande kategorier av personuppgifter behandlas: Namn och kontaktuppgifter (om anmälaren väljer att ange dessa). Man kan som anmälare välja att antingen vara anonym eller ange sina identitetsuppgifter."),
        p("Vilka hanterar dina uppgifter/vilka vi lämnar ut dina personuppgifter till:\nI det första steget tas ärendet emot av vår systemleverantör, som tillhandahåller den tekniska lösningen för visselblåsarfunktionen. Ärenden skickas vidare till en intern utredningsgrupp inom Luleå kommun som kommer att bedöma ärendet och eventuellt lämna rekommendation för vidare åtgärder till berörd verksamhet. Vid misstanke om mycket allvarliga missförhållanden sker utredning av extern part."),
        p("Automatisk beslutsfattande/profilering: Förekommer ej."),
        '<text:p text:style-name="Text_20_body">Lagring/gallring: <text:change text:change-id="ct1"/>'
        '<text:change-start text:change-id="ct2"/>Bevaras.<text:change-end text:change-id="ct2"/></text:p>',
    ]
    doc = HEAD % {"meta": "<dc:title>%s</dc:title><dc:language>sv-SE</dc:language>" % esc(NOTICE_TITLE), "auto": "", "master": "", "tracked": TRACKED}
    with open(os.path.join(OUT, "notice.fodt"), "w", encoding="utf-8") as f:
        f.write(doc + "\n".join(body) + TAIL)
    with open(os.path.join(HERE, "..", "gold", "004_670afb2e98eb9082.json"), encoding="utf-8") as f:
        gold = json.load(f)
    want = [r for r in gold if r["activity"] in (
        "Besöker vår reception i stadshuset", "Telefonsamtal till Luleå kommuns kundcenter", "Visselblåsarfunktion")]
    assert len(want) == 3
    with open(os.path.join(OUT, "notice_gold.json"), "w", encoding="utf-8") as f:
        json.dump(want, f, ensure_ascii=False, indent=1)
        f.write("\n")


MERGED_AUTO = """ <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="26cm" table:align="left"/></style:style>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.05cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="Landscape" style:family="paragraph" style:parent-style-name="Standard" style:master-page-name="Landscape"/>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin="1.5cm"/></style:page-layout>"""

MERGED_HEAD = ["Nämnd", "Namn på behandling", "Syfte", "Registrerade", "Kategorier av personuppgifter",
               "Rättslig grund", "Gallringsfrist", "Riskbedömning"]


def merged():
    # None: covered by a merge from above; (text, rows): a cell merged down.
    data = [
        [("Kultur- och fritidsnämnden", 4), ("Bibliotekslån", 2), ("Hantera lån och reservationer.", 2), "Låntagare",
         "Namn\nLånekortsnummer", ("Allmänt intresse", 2), ("Tas bort 3 år efter senaste lån", 2), ("Låg", 2)],
        [None, None, None, "Vårdnadshavare", "Kontaktuppgifter", None, None, None],
        [None, "Föreningsbidrag", "Handlägga ansökningar om bidrag till föreningar.", "Föreningsföreträdare",
         "Namn\nE-postadress\nBankkontonummer", "Myndighetsutövning", "Gallras efter 5 år", "Medel"],
        [None, "Simskola", "Anmälan och närvaro i simskolan.", "Barn\nVårdnadshavare", "Namn\nÅlder\nAllergier",
         "Samtycke", "Gallras vid terminens slut", "Hög"],
    ]

    def tc(text, rows=1, cols=1):
        span = ""
        if rows > 1:
            span += ' table:number-rows-spanned="%d"' % rows
        if cols > 1:
            span += ' table:number-columns-spanned="%d"' % cols
        paras = "".join('<text:p text:style-name="Standard">%s</text:p>' % esc(s) for s in text.split("\n"))
        return '<table:table-cell table:style-name="Cell" office:value-type="string"%s>%s</table:table-cell>' % (span, paras)

    covered = "<table:covered-table-cell/>"
    n = len(MERGED_HEAD)
    out = ['<text:p text:style-name="Landscape"/>',
           '<table:table table:name="Behandlingar" table:style-name="Tbl">',
           '<table:table-column table:number-columns-repeated="%d"/>' % n]
    for title in ("Registerförteckning enligt artikel 30 dataskyddsförordningen",
                  "Kultur- och fritidsnämnden, Luleå kommun. Fastställd 2023-05-17."):
        out.append("<table:table-row>" + tc(title, cols=n) + covered * (n - 1) + "</table:table-row>")
    out.append("<table:table-row>" + "".join(tc(t) for t in MERGED_HEAD) + "</table:table-row>")
    for row in data:
        cells = []
        for c in row:
            if c is None:
                cells.append(covered)
            elif isinstance(c, tuple):
                cells.append(tc(c[0], rows=c[1]))
            else:
                cells.append(tc(c))
        out.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    out.append("</table:table>")
    out.append(p("Senast uppdaterad 2023-05-17 av registratorn.", "Standard"))
    master = '<office:master-styles><style:master-page style:name="Landscape" style:page-layout-name="pm1"/></office:master-styles>'
    doc = HEAD % {"meta": "", "auto": MERGED_AUTO, "master": master, "tracked": ""}
    with open(os.path.join(OUT, "merged.fodt"), "w", encoding="utf-8") as f:
        f.write(doc + "\n".join(out) + TAIL)


def empty():
    doc = HEAD % {"meta": "", "auto": "", "master": "", "tracked": ""}
    with open(os.path.join(OUT, "empty.fodt"), "w", encoding="utf-8") as f:
        f.write(doc + '<text:p text:style-name="Standard"/>' + TAIL)


def cell_paras(texts):
    return "".join('<text:p text:style-name="Text_20_body">%s</text:p>' % esc(t) for t in texts)


def notice_tables():
    """notice.fodt's three activities laid out as many municipalities lay out
    a Word notice: each activity a Heading 2 followed by a two-column table,
    the label in the first cell and its text (one or more paragraphs) in
    the second. The records must be those of notice_gold.json."""
    acts = [
        ("Besöker vår reception i stadshuset", [
            ("Syfte/ändamål", ["För att kunna administrera besök i stadshusets reception. Vi använder ett IT-stöd för vår besöksregistrering och för att förmedla ärenden vidare till berörda förvaltningar."]),
            ("Personuppgifterna har vi fått ifrån", ["Besökare/kund."]),
            ("Rättslig grund", ["Personuppgifterna används för att vi och berörda handläggare/förvaltningar ska kunna handlägga de ärenden som inkommer (myndighetsutövning), i vissa fall följer man även upp ärendeflödet på olika sätt (uppgifter av allmänt intresse)."]),
            ("Följande kategorier av personuppgifter behandlas", ["Namn, kontaktuppgifter och personnummer."]),
            ("Vilka hanterar dina personuppgifter/vilka vi lämnar ut dina personuppgifter till", [
                "Internt: Kommunens olika medarbetare och verksamheter.",
                "Externt: Kontaktuppgifter till kommunens personal/förvaltning delas med de personer som söker kontakt samt med berörd systemleverantör av vårt IT-stöd i samband med support."]),
            ("Automatiskt beslutsfattande/profilering", ["Förekommer ej."]),
            ("Lagring/gallring", ["Personuppgifter i avslutade ärenden ska gallras efter 30 dagar."]),
        ]),
        ("Telefonsamtal till Luleå kommuns kundcenter", [
            ("Syfte/ändamål", ["Syftet är att hantera inkommande samtal till kommunens olika verksamheter samt att ta emot och vidarebefordra synpunkter och frågor till rätt verksamhet. I vissa fall erbjuds inringaren att delta i en efterföljande kundundersökning i syfte kunna göra en utvärdering av vår service."]),
            ("Personuppgifterna har vi fått från", ["Inringaren."]),
            ("Rättslig grund", ["Personuppgifterna används för att vi och berörda förvaltningar ska kunna handlägga de ärenden som inkommer (myndighetsutövning), i vissa fall följer man även upp ärendeflödet på olika sätt (uppgift av allmänt intresse). Du som ringt in kan ibland erbjudas att delta i en efterföljande kundundersökning, detta är helt frivilligt och för detta ändamål tillämpas samtycke som rättslig grund)."]),
            ("Följande kategorier av personuppgifter behandlas", [
                "Namn och kontaktuppgifter.",
                "I undantagsfall kan ett samtal spelas in om det upplevs som hotfullt. Syftet med inspelningen är dels att vid hot kunna lämna ett bra underlag för vidare hantering, ett annat syfte med inspelningarna är att uppfylla de krav kommunen har som arbetsgivare enligt Arbetsmiljöverkets föreskrift (AFS 1993:2), ska arbetsgivaren förebygga, dokumentera och följa upp förekomster av hot och våld för anställda."]),
            ("Vilka hanterar dina uppgifter/vilka vi lämnar ut dina personuppgifter till", [
                "Internt: Kommunens olika medarbetare och verksamheter.",
                "Externt:",
                "• Kontaktuppgifter till kommunens personal delas med de personer som söker kontakt.",
                "• Leverantör av extern telefonitjänst: Vissa samtal kan komma att hanteras av en extern leverantör via webbformulär som går till Luleå kommuns kundcenters ärendehanteringssystem för att kunna hantera medborgarnas, kundernas samt anställdas frågor och ärenden. Det gäller främst samtal som Luleå kommuns kundcenter inte hunnit omhänderta.",
                "• Leverantör som tillhandahåller vårt IT-stöd för ärendehantering samt leverantör som genomför kundundersökning.",
                "• I undantagsfall kan ett samtal spelas in om det upplevs som hotfullt och ljudfilen kan därefter komma att lämnas vidare till polisen.",
                "• Uppgifter kan komma att lämnas ut på begäran enligt offentlighetsprincipen efter sekretessprövning."]),
            ("Automatiskt beslutsfattande/profilering", ["Förekommer ej."]),
            ("Lagring/gallring", ["Arkivlagen och gallringsinstruktioner i vår dokumenthanteringsplan bestämmer hur länge uppgifterna sparas."]),
        ]),
        ("Visselblåsarfunktion", [
            ("Syfte/ändamål", ["Visselblåsarfunktionen är en rapporteringskanal som syftar till att visselblåsare ska kunna anmäla allvarliga missförhållanden. Behandlingen av personuppgifter sker för att administrera mottagande av visselblåsaranmälningar, möjliggöra korrespondens mellan anmälaren och Luleå kommun samt för att lämna över anmälningar till Luleå kommun eller till extern utredare."]),
            ("Personuppgifterna har vi fått från", ["Anmälaren."]),
            ("Rättslig grund", ["Rättslig förpliktelse."]),
            ("Följande kategorier av personuppgifter behandlas", ["Namn och kontaktuppgifter (om anmälaren väljer att ange dessa). Man kan som anmälare välja att antingen vara anonym eller ange sina identitetsuppgifter."]),
            ("Vilka hanterar dina uppgifter/vilka vi lämnar ut dina personuppgifter till", ["I det första steget tas ärendet emot av vår systemleverantör, som tillhandahåller den tekniska lösningen för visselblåsarfunktionen. Ärenden skickas vidare till en intern utredningsgrupp inom Luleå kommun som kommer att bedöma ärendet och eventuellt lämna rekommendation för vidare åtgärder till berörd verksamhet. Vid misstanke om mycket allvarliga missförhållanden sker utredning av extern part."]),
            ("Automatisk beslutsfattande/profilering", ["Förekommer ej."]),
            ("Lagring/gallring", ["Bevaras."]),
        ]),
    ]
    auto = """ <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="17cm" table:align="left"/></style:style>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.05cm" fo:border="0.5pt solid #000000"/></style:style>"""
    body = [
        h(NOTICE_TITLE, 1),
        p("Inom Luleå kommun är varje enskild nämnd/styrelse personuppgiftsansvarig för den behandling av personuppgifter som de gör och ansvarar för att sådan behandling sker på ett lagligt sätt."),
        h("Personuppgiftsansvarig", 2),
        p("Kommunstyrelsen är personuppgiftsansvarig för de behandlingar av personuppgifter som sker inom deras ansvarsområde."),
    ]
    for i, (name, rows) in enumerate(acts):
        body.append(h(name, 2))
        t = ['<table:table table:name="T%d" table:style-name="Tbl"><table:table-column table:number-columns-repeated="2"/>' % (i + 1)]
        for label, texts in rows:
            t.append('<table:table-row><table:table-cell table:style-name="Cell" office:value-type="string">%s</table:table-cell>'
                     '<table:table-cell table:style-name="Cell" office:value-type="string">%s</table:table-cell></table:table-row>'
                     % (cell_paras([label]), cell_paras(texts)))
        t.append("</table:table>")
        body.append("".join(t))
    doc = HEAD % {"meta": "<dc:title>%s</dc:title><dc:language>sv-SE</dc:language>" % esc(NOTICE_TITLE), "auto": auto, "master": "", "tracked": ""}
    with open(os.path.join(OUT, "notice_tables.fodt"), "w", encoding="utf-8") as f:
        f.write(doc + "\n".join(body) + TAIL)


notice()
notice_tables()
merged()
empty()
