package index

// TestBench measures the index against PostgreSQL full-text search on the
// same synthetic records and the same workload, in the same run:
//
//	REGISTERLYFT_BENCH=10000,100000 go test ./index -run TestBench -v -timeout 0
//	REGISTERLYFT_BENCH=1000000 ... (about an hour on 2 cores)
//
// It is skipped unless REGISTERLYFT_BENCH is set. PostgreSQL (initdb,
// pg_ctl from Debian's postgresql package) runs as a private cluster in a
// temporary directory, as user postgres when the test runs as root; without
// it the PostgreSQL rows are skipped with a message. The table is written to
// stdout and, with REGISTERLYFT_BENCH_OUT=file, appended to a file.

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// benchQuery is one query of the workload, for both engines.
type benchQuery struct {
	kind string // term, match, phrase, fuzzy, prefix, dpo
	text string // registerlyft query
	pg   string // tsquery expression for PostgreSQL ("" = not expressible)
}

var benchWorkload = []benchQuery{
	{"term", "skatteverket", "plainto_tsquery('swedish', 'skatteverket')"},
	{"term", "fakturering", "plainto_tsquery('swedish', 'fakturering')"},
	{"term", "vårdnadshavare", "plainto_tsquery('swedish', 'vårdnadshavare')"},
	{"term", "protokoll", "plainto_tsquery('swedish', 'protokoll')"},
	{"match", "personnummer namn", "plainto_tsquery('swedish', 'personnummer namn')"},
	{"match", "hälsa färdtjänst", "plainto_tsquery('swedish', 'hälsa färdtjänst')"},
	{"match", "kontaktuppgifter medarbetare", "plainto_tsquery('swedish', 'kontaktuppgifter medarbetare')"},
	{"phrase", `"skyddad identitet"`, "phraseto_tsquery('swedish', 'skyddad identitet')"},
	{"phrase", `"allmänt intresse"`, "phraseto_tsquery('swedish', 'allmänt intresse')"},
	{"fuzzy", "personummer", ""},
	{"fuzzy", "skateverket", ""},
	{"fuzzy", "vardnadshavre", ""},
	{"prefix", "personn", "to_tsquery('swedish', 'personn:*')"},
	{"prefix", "vårdnads", "to_tsquery('swedish', 'vårdnads:*')"},
	{"prefix", "skattev", "to_tsquery('swedish', 'skattev:*')"},
	{"dpo", "personnummer", "plainto_tsquery('swedish', 'personnummer')"},
}

// benchRow is one engine's figures at one size.
type benchRow struct {
	engine     string
	n          int
	rawBytes   int64
	recsPerSec float64
	sizeBytes  int64
	peakRSS    int64
	coldOpen   time.Duration
	lat        map[string][]time.Duration
	note       string
}

func TestBench(t *testing.T) {
	spec := os.Getenv("REGISTERLYFT_BENCH")
	if spec == "" {
		t.Skip("set REGISTERLYFT_BENCH=10000,100000[,1000000] to run the index benchmark")
	}
	var rows []benchRow
	pg := startPostgres(t)
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			t.Fatalf("REGISTERLYFT_BENCH: %q is not a size", f)
		}
		rows = append(rows, benchBleve(t, n))
		if pg != nil {
			rows = append(rows, pg.bench(t, n))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s, %d cores, load %s\n\n", time.Now().Format("2006-01-02 15:04"), runtime.NumCPU(), loadavg())
	b.WriteString("| engine | records | rec/s | index/raw JSON | peak RSS MB | cold open ms | term p50/p99 | match p50/p99 | phrase p50/p99 | fuzzy p50/p99 | prefix p50/p99 | DPO p50/p99 | DPO cached p50/p99 |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %.0f | %.2f× (%.0f MB / %.0f MB) | %.0f | %.0f |", r.engine, r.n, r.recsPerSec,
			float64(r.sizeBytes)/float64(r.rawBytes), mb(r.sizeBytes), mb(r.rawBytes), mb(r.peakRSS), ms(r.coldOpen))
		for _, k := range []string{"term", "match", "phrase", "fuzzy", "prefix", "dpo", "dpo-cached"} {
			d := r.lat[k]
			if len(d) == 0 {
				b.WriteString(" n/a |")
				continue
			}
			fmt.Fprintf(&b, " %s / %s |", fmtMS(pct(d, 50)), fmtMS(pct(d, 99)))
		}
		b.WriteString("\n")
	}
	for _, r := range rows {
		if r.note != "" {
			fmt.Fprintf(&b, "\n%s at %d: %s", r.engine, r.n, r.note)
		}
	}
	b.WriteString("\n")
	fmt.Print(b.String())
	if out := os.Getenv("REGISTERLYFT_BENCH_OUT"); out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(b.String())
		f.Close()
	}
}

func mb(n int64) float64           { return float64(n) / (1 << 20) }
func ms(d time.Duration) float64   { return float64(d) / float64(time.Millisecond) }
func fmtMS(d time.Duration) string { return strconv.FormatFloat(ms(d), 'f', 1, 64) + " ms" }

// pct is the p-th percentile (nearest rank) of d.
func pct(d []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// resetPeak resets the peak RSS (VmHWM) of process pid.
func resetPeak(pid int) {
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// peakRSS returns VmHWM of process pid in bytes.
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if i, err := d.Info(); err == nil {
				n += i.Size()
			}
		}
		return nil
	})
	return n
}

// benchGold holds the gold records the synthetic ones are made from.
var benchGold []record.Record

// synthetic returns records [from, to) of the synthetic set: the gold
// activities with varied municipalities, organs, files and activity names.
func synthetic(t testing.TB, from, to int) []record.Record {
	if benchGold == nil {
		benchGold = append(loadGold(t, gold002, "scan"), loadGold(t, gold004, "html")...)
	}
	g := len(benchGold)
	out := make([]record.Record, 0, to-from)
	for i := from; i < to; i++ {
		r := benchGold[i%g]
		m := benchMunicipalities[(i/g)%len(benchMunicipalities)]
		o := benchOrgans[(i/(g*len(benchMunicipalities)))%len(benchOrgans)]
		r.ID = fmt.Sprintf("syn-%07d", i)
		r.Municipality = m
		r.Organ = o
		r.Activity = fmt.Sprintf("%s (%s, nr %d)", r.Activity, o, i)
		r.Provenance.File = fmt.Sprintf("synthetic/%s/%s/%d.txt", m, o, i/200)
		out = append(out, r)
	}
	return out
}

const benchBatch = 5000

func rawSize(t testing.TB, n int) int64 {
	var raw int64
	for i := 0; i < n; i += benchBatch {
		for _, r := range synthetic(t, i, min(i+benchBatch, n)) {
			b, _ := json.Marshal(r)
			raw += int64(len(b)) + 1
		}
	}
	return raw
}

// reps is the number of runs of each query of the workload.
func reps(n int) int {
	switch {
	case n >= 1000000:
		return 5
	case n >= 100000:
		return 10
	}
	return 30
}

func benchBleve(t *testing.T, n int) benchRow {
	row := benchRow{engine: "registerlyft (bleve)", n: n, lat: map[string][]time.Duration{}}
	row.rawBytes = rawSize(t, n)
	dir := filepath.Join(t.TempDir(), "idx")
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	resetPeak(os.Getpid())
	start := time.Now()
	for i := 0; i < n; i += benchBatch {
		if err := b.Index(context.Background(), synthetic(t, i, min(i+benchBatch, n))); err != nil {
			t.Fatal(err)
		}
	}
	settle(b)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	row.recsPerSec = float64(n) / time.Since(start).Seconds()
	row.peakRSS = peakRSS(os.Getpid())
	row.sizeBytes = dirSize(dir)

	start = time.Now()
	b, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.Search(context.Background(), Query{Text: "skatteverket", NoFacets: true}); err != nil {
		t.Fatal(err)
	}
	row.coldOpen = time.Since(start)

	b.noCache = true
	for r := 0; r < reps(n); r++ {
		for _, q := range benchWorkload {
			bq := Query{Text: q.text, NoFacets: true}
			if q.kind == "dpo" {
				bq = Query{Text: q.text, Facets: DefaultFacets}
			}
			t0 := time.Now()
			res, err := b.Search(context.Background(), bq)
			if err != nil {
				t.Fatal(err)
			}
			row.lat[q.kind] = append(row.lat[q.kind], time.Since(t0))
			if r == 0 && res.Total == 0 {
				t.Errorf("bleve %d: %q found nothing", n, q.text)
			}
		}
	}
	b.noCache = false
	dpo := Query{Text: "personnummer", Facets: DefaultFacets}
	if _, err := b.Search(context.Background(), dpo); err != nil { // fills the cache
		t.Fatal(err)
	}
	for r := 0; r < 20; r++ {
		t0 := time.Now()
		if _, err := b.Search(context.Background(), Query{Text: "personnummer", Facets: DefaultFacets}); err != nil {
			t.Fatal(err)
		}
		row.lat["dpo-cached"] = append(row.lat["dpo-cached"], time.Since(t0))
	}
	row.note = fmt.Sprintf("batches of %d records, rec/s until merged and persisted; latencies without the result cache except \"DPO cached\"; %d runs of each query", benchBatch, reps(n))
	return row
}

// settle waits until bleve's background merging and persisting are done, at
// most ten minutes.
func settle(b *Bleve) {
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		st, _ := b.idx.StatsMap()["index"].(map[string]any)
		if active, ok := st["index_bgthreads_active"].(bool); !ok || !active {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// pgServer is a private PostgreSQL cluster.
type pgServer struct {
	bin, data, sock string
	asPostgres      bool
}

func (p *pgServer) run(t *testing.T, name string, args ...string) error {
	cmd := exec.Command(filepath.Join(p.bin, name), args...)
	if p.asPostgres {
		cmd = exec.Command("su", "postgres", "-s", "/bin/sh", "-c", shellJoin(append([]string{filepath.Join(p.bin, name)}, args...)))
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %v: %s", name, args, err, out)
	}
	return nil
}

func shellJoin(args []string) string {
	var q []string
	for _, a := range args {
		q = append(q, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	return strings.Join(q, " ")
}

// startPostgres starts a private cluster, or returns nil with a logged
// reason when PostgreSQL is missing.
func startPostgres(t *testing.T) *pgServer {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		t.Log("PostgreSQL not installed (apt-get install postgresql): PostgreSQL rows skipped")
		return nil
	}
	sort.Strings(bins)
	p := &pgServer{bin: filepath.Dir(bins[len(bins)-1])}
	root, err := os.MkdirTemp("", "registerlyft-pg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	p.data, p.sock = filepath.Join(root, "data"), filepath.Join(root, "sock")
	os.Mkdir(p.sock, 0o755)
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		p.asPostgres = true
		if err := exec.Command("chown", "-R", "postgres", root).Run(); err != nil {
			t.Logf("chown %s postgres: %v: PostgreSQL rows skipped", root, err)
			return nil
		}
		os.Chmod(root, 0o755)
	}
	if err := p.run(t, "initdb", "-D", p.data, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-U", "postgres"); err != nil {
		t.Logf("PostgreSQL initdb failed, rows skipped: %v", err)
		return nil
	}
	if err := p.start(t); err != nil {
		t.Logf("PostgreSQL did not start, rows skipped: %v", err)
		return nil
	}
	t.Cleanup(func() { p.run(t, "pg_ctl", "-D", p.data, "-m", "fast", "stop") })
	return p
}

func (p *pgServer) start(t *testing.T) error {
	return p.run(t, "pg_ctl", "-D", p.data, "-w", "-l", filepath.Join(p.data, "log"),
		"-o", "-k "+p.sock+" -c listen_addresses='' -c fsync=on -c shared_buffers=256MB", "start")
}

func (p *pgServer) connect(t *testing.T) *pgx.Conn {
	c, err := pgx.Connect(context.Background(), fmt.Sprintf("host=%s user=postgres dbname=postgres", p.sock))
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	return c
}

// pgSchema mirrors the index: the record as JSON, the facet keys, and a
// weighted tsvector (A personal_data and sensitive_data, B activity,
// purpose, data_subjects, C the rest of an entry, D a document's text).
const pgSchema = `
DROP TABLE IF EXISTS rec;
CREATE TABLE rec (
	id text PRIMARY KEY,
	municipality text, organ text, kind text,
	legal_basis text[], sensitive_data text[],
	a text, b text, c text, d text,
	doc jsonb,
	tsv tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('swedish', coalesce(a, '')), 'A') ||
		setweight(to_tsvector('swedish', coalesce(b, '')), 'B') ||
		setweight(to_tsvector('swedish', coalesce(c, '')), 'C') ||
		setweight(to_tsvector('swedish', coalesce(d, '')), 'D')) STORED
);
CREATE INDEX rec_tsv ON rec USING gin (tsv);
`

func (p *pgServer) bench(t *testing.T, n int) benchRow {
	row := benchRow{engine: "PostgreSQL 'swedish' + GIN", n: n, lat: map[string][]time.Duration{}}
	row.rawBytes = rawSize(t, n)
	ctx := context.Background()
	c := p.connect(t)
	if _, err := c.Exec(ctx, pgSchema); err != nil {
		t.Fatal(err)
	}
	var pid int
	c.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid)
	resetPeak(pid)
	start := time.Now()
	for i := 0; i < n; i += benchBatch {
		var rows [][]any
		for _, r := range synthetic(t, i, min(i+benchBatch, n)) {
			fv := fieldValues(&r)
			grp := map[string][]string{}
			for _, f := range searchFields {
				grp[f.Group] = append(grp[f.Group], fv[f.Name]...)
			}
			js, _ := json.Marshal(r)
			rows = append(rows, []any{r.ID, r.Municipality, r.Organ, r.Kind, r.LegalBasis, r.SensitiveData,
				strings.Join(grp[groupPD], "\n"), strings.Join(grp[groupMain], "\n"), strings.Join(grp[groupMore], "\n"), strings.Join(grp[groupDoc], "\n"), string(js)})
		}
		if _, err := c.CopyFrom(ctx, pgx.Identifier{"rec"}, []string{"id", "municipality", "organ", "kind", "legal_basis", "sensitive_data", "a", "b", "c", "d", "doc"}, pgx.CopyFromRows(rows)); err != nil {
			t.Fatal(err)
		}
	}
	row.recsPerSec = float64(n) / time.Since(start).Seconds()
	row.peakRSS = peakRSS(pid)
	if _, err := c.Exec(ctx, "VACUUM ANALYZE rec"); err != nil {
		t.Fatal(err)
	}
	c.QueryRow(ctx, "SELECT pg_total_relation_size('rec')").Scan(&row.sizeBytes)
	c.Close(ctx)

	// Cold open: restart the server, connect, first query.
	if err := p.run(t, "pg_ctl", "-D", p.data, "-m", "fast", "-w", "stop"); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if err := p.start(t); err != nil {
		t.Fatal(err)
	}
	c = p.connect(t)
	defer c.Close(ctx)
	if _, err := p.top(ctx, c, benchWorkload[0].pg); err != nil {
		t.Fatal(err)
	}
	row.coldOpen = time.Since(start)

	for r := 0; r < reps(n); r++ {
		for _, q := range benchWorkload {
			if q.pg == "" {
				continue
			}
			t0 := time.Now()
			total, err := p.top(ctx, c, q.pg)
			if err != nil {
				t.Fatalf("%s: %v", q.pg, err)
			}
			if q.kind == "dpo" {
				if err := p.facets(ctx, c, q.pg); err != nil {
					t.Fatal(err)
				}
			}
			row.lat[q.kind] = append(row.lat[q.kind], time.Since(t0))
			if r == 0 && total == 0 && q.kind != "prefix" {
				t.Logf("PostgreSQL %d: %s found nothing", n, q.pg)
			}
		}
	}
	row.note = "COPY in batches of the same size; fuzzy: n/a (full-text search has none; pg_trgm would need a second index); cold open includes the server start"
	return row
}

// top runs the ranked page query (count of matches and the best 20).
func (p *pgServer) top(ctx context.Context, c *pgx.Conn, tsq string) (int64, error) {
	var total int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM rec WHERE tsv @@ "+tsq).Scan(&total); err != nil {
		return 0, err
	}
	rows, err := c.Query(ctx, "SELECT doc FROM rec, "+tsq+" q WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id LIMIT 20")
	if err != nil {
		return 0, err
	}
	for rows.Next() {
	}
	rows.Close()
	return total, rows.Err()
}

// facets counts the five facets of the DPO's query.
func (p *pgServer) facets(ctx context.Context, c *pgx.Conn, tsq string) error {
	rows, err := c.Query(ctx, `WITH m AS MATERIALIZED (SELECT municipality, organ, kind, legal_basis, sensitive_data FROM rec WHERE tsv @@ `+tsq+`)
SELECT 'municipality', municipality, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'organ', organ, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY 2
UNION ALL SELECT 'legal_basis', x, count(*) FROM m, unnest(legal_basis) x GROUP BY 2
UNION ALL SELECT 'sensitive_data', x, count(*) FROM m, unnest(sensitive_data) x GROUP BY 2`)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}
