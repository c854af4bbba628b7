package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config configures a Pool. The zero value is usable: one worker per core
// running this executable's "ocr-worker" subcommand, with the defaults
// below.
type Config struct {
	Workers int // worker processes; 0: runtime.NumCPU()
	// Command is the worker's command line; nil: this executable
	// (os.Executable) with WorkerCommand. Tests name the test binary and
	// set WorkerEnv=1 in Env.
	Command []string
	// Env is added to the worker's environment (after os.Environ() and
	// OMP_THREAD_LIMIT=1, so it may override them).
	Env         []string
	Lang        string        // Tesseract language; "": DefaultLang ("swe")
	PSM         int           // page segmentation mode 1–13; 0: DefaultPSM (11)
	PageTimeout time.Duration // a worker on one page longer is killed; 0: DefaultPageTimeout
	MaxPages    int           // a worker is recycled after this many pages; 0: DefaultMaxPages, <0: never
	MaxRSS      int64         // a worker is recycled above this resident size (bytes); 0: DefaultMaxRSS, <0: never
	MaxPixels   int64         // larger page images are refused; 0: DefaultMaxPixels
	// Log, when set, receives one line per worker event (start, recycle,
	// crash, timeout).
	Log func(format string, args ...any)
}

// Pool runs OCR jobs on supervised worker processes. It is safe for
// concurrent use; at most Workers pages are recognised at a time and
// callers beyond that wait. Workers start on first use. Close stops them.
type Pool struct {
	cfg  Config
	free chan *worker

	mu       sync.Mutex
	closed   bool
	workers  []*worker
	nextID   uint64
	stats    Stats
	closeErr error
}

// Stats counts what a pool's workers did.
type Stats struct {
	Pages    int           // pages recognised
	Failed   int           // pages that failed (timeouts, crashes, undecodable)
	Started  int           // worker processes started
	Recycled int           // workers stopped after MaxPages or MaxRSS
	Crashed  int           // workers that died on a page
	TimedOut int           // workers killed after PageTimeout
	CPU      time.Duration // user+system CPU of the workers that have exited
	Workers  []WorkerStats // the current workers
}

// WorkerStats is the state of one worker slot.
type WorkerStats struct {
	PID   int   // 0 when not running
	Pages int   // pages since it started
	RSS   int64 // resident size after its last page, bytes
	Busy  bool  // on a page now
}

// New returns a pool; no process starts before the first page.
func New(cfg Config) *Pool {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Lang == "" {
		cfg.Lang = DefaultLang
	}
	if cfg.PSM <= 0 || cfg.PSM > 13 {
		cfg.PSM = DefaultPSM
	}
	if cfg.PageTimeout <= 0 {
		cfg.PageTimeout = DefaultPageTimeout
	}
	if cfg.MaxPages == 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.MaxRSS == 0 {
		cfg.MaxRSS = DefaultMaxRSS
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	p := &Pool{cfg: cfg, free: make(chan *worker, cfg.Workers)}
	for i := 0; i < cfg.Workers; i++ {
		w := &worker{slot: i}
		p.workers = append(p.workers, w)
		p.free <- w
	}
	return p
}

// Workers returns the number of worker processes the pool runs at most.
func (p *Pool) Workers() int { return p.cfg.Workers }

// Image recognises every page of a PNG, JPEG or TIFF file, the pages of a
// multi-page TIFF in parallel. It checks every page's size from the headers
// first (ErrTooSmall, ErrTooLarge) and fails as a whole when any page
// fails, with a *PageError naming the page for multi-page files. Pages are
// numbered from 1; Origin is "image".
func (p *Pool) Image(ctx context.Context, data []byte) ([]*Result, error) {
	info, err := Inspect(data)
	if err != nil {
		return nil, err
	}
	wrap := func(i int, err error) error {
		if len(info.Pages) == 1 {
			return err
		}
		return &PageError{Page: i + 1, Err: err}
	}
	for i, pg := range info.Pages {
		if err := pg.Check(p.cfg.MaxPixels); err != nil {
			return nil, wrap(i, err)
		}
	}
	results := make([]*Result, len(info.Pages))
	errs := make([]error, len(info.Pages))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, p.cfg.Workers) // bounds the page copies in flight
	for i, pg := range info.Pages {
		img := data
		if info.Format == FormatTIFF {
			img = nil // cut below, once a worker is near
		}
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if img == nil {
				img = tiffPage(data, pg)
			}
			dpi, guessed := pg.DPI, false
			if !plausibleDPI(dpi) {
				dpi, guessed = GuessDPI(pg.Width, pg.Height), true
			}
			r, err := p.page(ctx, i+1, img, dpi, dpi)
			if err != nil {
				errs[i] = wrap(i, err)
				cancel() // the file fails as a whole: stop its other pages
				return
			}
			r.DPIGuessed = guessed
			r.Origin = "image"
			results[i] = r
		}()
	}
	wg.Wait()
	// The first real failure, not the cancellations it caused.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

// Page recognises one page image (PNG, JPEG, or the first page of a TIFF)
// read at dpi; dpi 0 takes the resolution the file declares, or guesses one
// (GuessDPI). The result's page number is n.
func (p *Pool) Page(ctx context.Context, n int, img []byte, dpi float64) (*Result, error) {
	info, err := Inspect(img)
	if err != nil {
		return nil, err
	}
	pg := info.Pages[0]
	if err := pg.Check(p.cfg.MaxPixels); err != nil {
		return nil, err
	}
	guessed := false
	if dpi <= 0 {
		dpi = pg.DPI
		if !plausibleDPI(dpi) {
			dpi, guessed = GuessDPI(pg.Width, pg.Height), true
		}
	}
	r, err := p.page(ctx, n, img, dpi, dpi)
	if err != nil {
		return nil, err
	}
	r.DPIGuessed = guessed
	r.Origin = "image"
	return r, nil
}

// page runs one checked page image on a worker: Tesseract reads it at
// ocrDPI, the words' pixels become points at dpi.
func (p *Pool) page(ctx context.Context, n int, img []byte, ocrDPI, dpi float64) (*Result, error) {
	var w *worker
	select {
	case w = <-p.free:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.free <- w }()

	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	p.nextID++
	id := p.nextID
	p.mu.Unlock()

	if w.cmd == nil {
		if err := p.start(w); err != nil {
			p.count(func(s *Stats) { s.Failed++ })
			return nil, fmt.Errorf("%w: start worker: %v", ErrFailed, err)
		}
	}
	req := &Request{ID: id, Image: img, DPI: int(ocrDPI + 0.5), Lang: p.cfg.Lang, PSM: p.cfg.PSM}
	resp, err := p.roundTrip(ctx, w, req)
	if err != nil {
		p.count(func(s *Stats) { s.Failed++ })
		return nil, err
	}
	w.pages++
	rss := readRSS(w.cmd.Process.Pid)
	p.mu.Lock()
	w.rss = rss
	p.mu.Unlock()
	if (p.cfg.MaxPages > 0 && w.pages >= p.cfg.MaxPages) || (p.cfg.MaxRSS > 0 && rss > p.cfg.MaxRSS) {
		p.cfg.Log("ocr: recycling worker %d (pid %d) after %d pages, %d MiB resident", w.slot, w.cmd.Process.Pid, w.pages, rss>>20)
		p.stop(w)
		p.count(func(s *Stats) { s.Recycled++ })
	}
	if resp.Err != "" {
		p.count(func(s *Stats) { s.Failed++ })
		if resp.Undecodable {
			return nil, fmt.Errorf("%w: %s", ErrUndecodable, resp.Err)
		}
		return nil, fmt.Errorf("%w: %s", ErrFailed, resp.Err)
	}
	p.count(func(s *Stats) { s.Pages++ })
	r := &Result{Page: toPage(n, resp, dpi), DPI: dpi, WidthPx: resp.Width, HeightPx: resp.Height, CPU: time.Duration(resp.CPU)}
	r.Skew = Deskew(&r.Page)
	return r, nil
}

// roundTrip sends req to w and waits for its response, the page timeout or
// ctx. On anything but a response the worker is killed and reset.
func (p *Pool) roundTrip(ctx context.Context, w *worker, req *Request) (*Response, error) {
	p.setBusy(w, true)
	defer p.setBusy(w, false)
	sent := make(chan error, 1)
	stdin := w.stdin
	go func() { sent <- WriteFrame(stdin, req) }()
	timer := time.NewTimer(p.cfg.PageTimeout)
	defer timer.Stop()
	for {
		select {
		case err := <-sent:
			if err != nil {
				// The worker is gone or its pipe broke; its exit is reported
				// by the reader, wait for that.
				sent = nil
				continue
			}
			sent = nil
		case f, ok := <-w.resp:
			if !ok {
				<-w.exited
				p.count(func(s *Stats) { s.Crashed++ })
				err := fmt.Errorf("%w: %s%s", ErrCrashed, w.exitStatus(), w.stderr.tail())
				p.cfg.Log("ocr: worker %d crashed on a page: %v", w.slot, err)
				p.reset(w)
				return nil, err
			}
			if f.err != nil || f.resp.ID != req.ID {
				p.kill(w)
				if f.err == nil {
					f.err = fmt.Errorf("response %d to request %d", f.resp.ID, req.ID)
				}
				return nil, fmt.Errorf("%w: protocol error: %v", ErrFailed, f.err)
			}
			return f.resp, nil
		case <-timer.C:
			p.kill(w)
			p.count(func(s *Stats) { s.TimedOut++ })
			p.cfg.Log("ocr: worker %d killed after %s on one page", w.slot, p.cfg.PageTimeout)
			return nil, fmt.Errorf("%w: no result after %s", ErrTimeout, p.cfg.PageTimeout)
		case <-ctx.Done():
			p.kill(w)
			return nil, ctx.Err()
		}
	}
}

// Stats returns the pool's counters and its workers' state.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Workers = make([]WorkerStats, len(p.workers))
	for i, w := range p.workers {
		s.Workers[i] = WorkerStats{Pages: w.pages, RSS: w.rss, Busy: w.busy, PID: w.pid}
	}
	return s
}

// Close stops the workers: each finishes its page, then exits. Pages asked
// for after Close fail with ErrClosed.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return p.closeErr
	}
	p.closed = true
	p.mu.Unlock()
	for i := 0; i < p.cfg.Workers; i++ {
		w := <-p.free
		if w.cmd != nil {
			p.stop(w)
		}
	}
	// Put the slots back so that late callers get ErrClosed, not a hang.
	for _, w := range p.workers {
		p.free <- w
	}
	return nil
}

func (p *Pool) count(f func(*Stats)) {
	p.mu.Lock()
	f(&p.stats)
	p.mu.Unlock()
}

func (p *Pool) setBusy(w *worker, b bool) {
	p.mu.Lock()
	w.busy = b
	p.mu.Unlock()
}

// worker is one slot of the pool and, while cmd is set, its process. Only
// the goroutine holding the slot (taken from Pool.free) touches it, except
// for the fields under Pool.mu (busy, rss, pid).
type worker struct {
	slot   int
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	resp   chan frame    // responses read by the reader goroutine; closed at EOF
	exited chan struct{} // closed once the process has been waited for
	stderr *tailBuffer
	pages  int

	busy bool  // under Pool.mu
	rss  int64 // under Pool.mu
	pid  int   // under Pool.mu
}

type frame struct {
	resp *Response
	err  error
}

func (p *Pool) command() ([]string, error) {
	if len(p.cfg.Command) > 0 {
		return p.cfg.Command, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return []string{exe, WorkerCommand}, nil
}

// start launches w's process with OMP_THREAD_LIMIT=1.
func (p *Pool) start(w *worker) error {
	argv, err := p.command()
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(append(os.Environ(), "OMP_THREAD_LIMIT=1"), p.cfg.Env...)
	w.stderr = &tailBuffer{max: 4096}
	cmd.Stderr = w.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w.cmd, w.stdin, w.pages = cmd, stdin, 0
	w.resp = make(chan frame, 1)
	w.exited = make(chan struct{})
	p.mu.Lock()
	w.pid, w.rss = cmd.Process.Pid, 0
	p.stats.Started++
	p.mu.Unlock()
	p.cfg.Log("ocr: started worker %d (pid %d)", w.slot, cmd.Process.Pid)
	resp, exited := w.resp, w.exited
	go func() {
		br := bufio.NewReaderSize(stdout, 64<<10)
		for {
			var r Response
			err := ReadFrame(br, &r, maxResponse)
			if err != nil {
				if err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, os.ErrClosed) && !strings.Contains(err.Error(), "file already closed") {
					resp <- frame{err: err}
				}
				break
			}
			resp <- frame{resp: &r}
		}
		close(resp)
		_ = cmd.Wait()
		if st := cmd.ProcessState; st != nil {
			p.count(func(s *Stats) { s.CPU += st.UserTime() + st.SystemTime() })
		}
		close(exited)
	}()
	return nil
}

// stop ends w's process gracefully (end of input), killing it if it does
// not exit within 10 seconds, and resets the slot.
func (p *Pool) stop(w *worker) {
	if w.cmd == nil {
		return
	}
	_ = w.stdin.Close()
	select {
	case <-w.exited:
	case <-time.After(10 * time.Second):
		_ = w.cmd.Process.Kill()
		<-w.exited
	}
	p.reset(w)
}

// kill ends w's process at once and resets the slot.
func (p *Pool) kill(w *worker) {
	if w.cmd == nil {
		return
	}
	_ = w.cmd.Process.Kill()
	_ = w.stdin.Close()
	for range w.resp { // let the reader finish
	}
	<-w.exited
	p.reset(w)
}

func (p *Pool) reset(w *worker) {
	if w.stdin != nil {
		_ = w.stdin.Close()
	}
	w.cmd, w.stdin, w.resp, w.exited, w.pages = nil, nil, nil, nil, 0
	p.mu.Lock()
	w.pid, w.rss = 0, 0
	p.mu.Unlock()
}

func (w *worker) exitStatus() string {
	if w.cmd == nil || w.cmd.ProcessState == nil {
		return "exited"
	}
	return w.cmd.ProcessState.String()
}

// readRSS returns the resident set size of a process from
// /proc/PID/status, 0 when it cannot be read.
func readRSS(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	return parseRSS(b)
}

func parseRSS(status []byte) int64 {
	for _, line := range bytes.Split(status, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := strings.Fields(string(rest))
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// tailBuffer keeps the last max bytes written to it (a worker's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, b...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(b), nil
}

// tail returns the last lines written, for an error message.
func (t *tailBuffer) tail() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.b))
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	return " (stderr: " + strings.Join(lines, " | ") + ")"
}
