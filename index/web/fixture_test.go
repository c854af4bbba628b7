package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// hostileNotice is a privacy notice whose text carries markup that must
// show as text: a script in the purpose and in the personal data, next to
// "personnummer" so that it lands in highlighted fragments.
const hostileNotice = `Personuppgiftsbehandling hos Fritidsnämnden i Testby kommun

Fritidsnämnden är personuppgiftsansvarig för de behandlingar som beskrivs nedan.

Bokning av idrottshallar

Syfte med behandlingen: Att hantera bokningar <script>alert(1)</script> av idrottshallar och föreningsbidrag.

Rättslig grund: Avtal.

Personuppgifter som behandlas: Namn, personnummer <script>alert(1)</script>, <img src=x onerror=alert(2)>, e-postadress.

Registrerade: Föreningar och privatpersoner som bokar.

Mottagare: Inga.

Lagringstid: Två år efter sista bokning.

Överföring till tredje land: Nej.
`

// linkNotice is a second notice; after the ingest the test replaces it by a
// symlink to a file outside every ingest root.
const linkNotice = `Personuppgiftsbehandling hos Tekniska nämnden i Testby kommun

Tekniska nämnden är personuppgiftsansvarig för de behandlingar som beskrivs nedan.

Felanmälan

Syfte med behandlingen: Att ta emot och åtgärda felanmälningar om gator och parker.

Rättslig grund: Allmänt intresse.

Personuppgifter som behandlas: Namn, telefonnummer, e-postadress.

Registrerade: Invånare som gör en felanmälan.

Mottagare: Entreprenörer.

Lagringstid: Ett år.

Överföring till tredje land: Nej.
`

// secret is the content of the file outside the roots; no response may
// contain it.
const secret = "TOP-SECRET-OUTSIDE-THE-ROOT"

// fixture is one ingest of the seeds, the corpus and the hostile inputs.
type fixture struct {
	out     string          // ingest output directory
	input   string          // the temporary input folder
	records []record.Record // records.jsonl
	srv     *Server
	ts      *httptest.Server
}

var fx *fixture

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "registerlyft-web-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	f, err := buildFixture(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "web test fixture:", err)
		return 1
	}
	fx = f
	defer f.srv.Close()
	defer f.ts.Close()
	return m.Run()
}

// buildFixture runs the real pipeline into tmp/out and opens a server.
func buildFixture(tmp string) (*fixture, error) {
	in := filepath.Join(tmp, "input")
	outside := filepath.Join(tmp, "outside")
	for _, d := range []string{in, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	files := map[string]string{
		filepath.Join(in, "fritidsnamnden-testby.txt"): hostileNotice,
		filepath.Join(in, "link.txt"):                  linkNotice,
		filepath.Join(outside, "secret.txt"):           secret + "\n",
	}
	for p, s := range files {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			return nil, err
		}
	}
	out := filepath.Join(tmp, "out")
	_, err := pipeline.Run(context.Background(), pipeline.Config{
		Inputs: []string{"../../testdata/seeds", "../../testdata/corpus", in},
		Out:    out,
	})
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	// After the ingest: link.txt (named in the manifest) now points out of
	// its root, and a file the manifest does not name sits in the root.
	if err := os.Remove(filepath.Join(in, "link.txt")); err != nil {
		return nil, err
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(in, "link.txt")); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(in, "not-ingested.txt"), []byte(secret), 0o644); err != nil {
		return nil, err
	}
	recs, err := pipeline.ReadRecords(filepath.Join(out, pipeline.RecordsFile))
	if err != nil {
		return nil, err
	}
	s, err := Open(out)
	if err != nil {
		return nil, err
	}
	return &fixture{out: out, input: in, records: recs, srv: s, ts: httptest.NewServer(s)}, nil
}

// get requests target from the fixture's handler directly, so that the raw
// path reaches it as written (no client-side cleaning).
func get(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	fx.srv.ServeHTTP(rec, req)
	return rec
}

// httptestRequest sends a request of any method to the fixture's handler.
func httptestRequest(method, target string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	rec := httptest.NewRecorder()
	fx.srv.ServeHTTP(rec, req)
	return rec
}
