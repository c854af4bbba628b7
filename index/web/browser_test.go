package web

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium (or Chrome) binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactDir is where the browser test writes its screenshots: the
// folder named by REGISTERLYFT_ARTIFACTS, else a temporary one.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("REGISTERLYFT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestBrowser drives the search page in headless Chromium: it types a
// query, checks the hits, clicks a facet and a result, and checks that the
// record holding <script> runs nothing.
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium binary found (Debian: apt-get install chromium); browser test skipped")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	// Any dialog (alert) or uncaught exception means a script ran.
	var mu sync.Mutex
	var ran []string
	note := func(s string) {
		mu.Lock()
		ran = append(ran, s)
		mu.Unlock()
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			note("dialog: " + ev.Message)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			note("exception: " + ev.ExceptionDetails.Text)
		}
	}()

	dir := artifactDir(t)
	// shot saves the whole page, or with name "viewport-..." what is in view.
	shot := func(name string) {
		a := chromedp.FullScreenshot(100)
		if strings.HasPrefix(name, "viewport-") {
			a = chromedp.CaptureScreenshot()
		}
		png, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("screenshot: %s", p)
	}
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			shot("failed-" + strings.ReplaceAll(step, " ", "-") + ".png")
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	eval := func(expr string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return n
	}
	// click clicks a link or button that loads a new page and waits for it.
	click := func(step, sel string) {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
		if err != nil {
			shot("failed-" + strings.ReplaceAll(step, " ", "-") + ".png")
			t.Fatalf("%s: %v", step, err)
		}
		if resp.Status != 200 {
			t.Fatalf("%s: status %d for %s", step, resp.Status, resp.URL)
		}
	}
	num := func(s string) int {
		t.Helper()
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}

	// 1. Load the page, type the query, search.
	want := search(t, url.Values{"q": {"personnummer"}})
	do("search",
		chromedp.Navigate(fx.ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "personnummer"),
	)
	click("search", "#go")
	if total := num(text("#total")); total != int(want.Total) {
		t.Errorf("page shows %d hits, the API %d", total, want.Total)
	}
	if hits := eval(`document.querySelectorAll("article.hit").length`); hits != min(int(want.Total), pageSize) {
		t.Errorf("%d result cards, want %d", hits, min(int(want.Total), pageSize))
	}
	wantTitle := want.Hits[0].Record.Activity
	if wantTitle == "" {
		wantTitle = want.Hits[0].Record.Title
	}
	if first := text("article.hit h2 a"); first != wantTitle {
		t.Errorf("first card %q, best hit %q", first, wantTitle)
	}
	if eval(`document.querySelectorAll("article.hit mark").length`) == 0 {
		t.Error("no highlighted match on the result cards")
	}
	shot("search-personnummer.png")

	// 2. Click the municipality facet "Luleå kommun".
	facet := `section.facet[data-key="municipality"] a[data-term="Luleå kommun"]`
	facetCount := num(text(facet + " + .count"))
	click("click facet", facet)
	if total := num(text("#total")); total != facetCount || total == 0 {
		t.Errorf("after the Luleå kommun facet: %d hits, the facet said %d", total, facetCount)
	}
	places, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("article.hit p.meta > span:first-child")].map(e => e.textContent)`))
	if err != nil || len(places) == 0 {
		t.Fatalf("places of the hits: %v, %v", places, err)
	}
	for _, p := range places {
		if !strings.Contains(p, "Luleå kommun") {
			t.Errorf("a hit of %q after filtering on Luleå kommun", p)
		}
	}
	if q, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("q"))); q != "personnummer" {
		t.Errorf("the query box holds %q after the facet click", q)
	}
	shot("search-personnummer-lulea.png")

	// 3. Click the first result: its record and provenance are shown.
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("article.hit a.hit-link"), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("href of the first card: %v", err)
	}
	click("click result", "article.hit a.hit-link")
	id := strings.TrimPrefix(strings.SplitN(href.Value, "?", 2)[0], "/record/")
	rec, found, err := fx.srv.backend.Get(ctx, id)
	if err != nil || !found {
		t.Fatalf("record %q behind the first card: found %v, %v", id, found, err)
	}
	if rec.Municipality != "Luleå kommun" {
		t.Errorf("clicked record is of %q", rec.Municipality)
	}
	if h := text("article.record h1"); h != rec.Activity {
		t.Errorf("record page heading %q, want %q", h, rec.Activity)
	}
	if prov := text("#provenance"); !strings.Contains(prov, rec.Provenance.File) || !strings.Contains(prov, "line") {
		t.Errorf("provenance %q lacks file %s and its line", prov, rec.Provenance.File)
	}
	shot("record.png")

	// 4. The source link opens the file at the record's line.
	click("open source", "#provenance a.source-link")
	if marked := text("pre.src .line.mark"); !strings.HasPrefix(marked, strconv.Itoa(rec.Provenance.Line)) {
		t.Errorf("first marked source line %q, want line %d", marked, rec.Provenance.Line)
	}
	shot("viewport-source.png")

	// 5. The record with <script> in its text: shown as text, nothing runs.
	do("hostile record",
		chromedp.Navigate(fx.ts.URL+"/?q=idrottshallar+personnummer"),
		chromedp.WaitVisible(chromedp.CSS("article.hit")),
	)
	if shown := text("article.hit"); !strings.Contains(shown, "<script>alert(1)</script>") {
		t.Errorf("the card does not show the script as text: %q", shown)
	}
	if n := eval(`document.querySelectorAll("script, img").length`); n != 0 {
		t.Errorf("%d script or img elements on the search page", n)
	}
	shot("search-script-record.png")
	click("hostile record page", "article.hit a.hit-link")
	do("wait", chromedp.Sleep(300*time.Millisecond)) // time for an onerror to fire
	if shown := text("article.record"); !strings.Contains(shown, "<img src=x onerror=alert(2)>") {
		t.Errorf("the record page does not show the img markup as text")
	}
	if n := eval(`document.querySelectorAll("script, img").length`); n != 0 {
		t.Errorf("%d script or img elements on the record page", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ran) > 0 {
		t.Errorf("script ran in the page: %q", ran)
	}
}
