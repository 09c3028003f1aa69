package supervisor

import (
	"bytes"
	"fmt"
	"log"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/juggler-kernel/juggler/internal/wire"
	"github.com/juggler-kernel/juggler/kernel"
)

// Tuning of the stream coalescer. Variables, not constants, so tests can
// shrink them.
var (
	flushDelay  = 8 * time.Millisecond  // flush this long after the first unflushed byte
	flushSize   = 64 << 10              // flush at once when this much text waits
	streamCap   = 1 << 20               // bytes of one stream a cell may show: about 50,000 lines, which front ends still render briskly
	syncTimeout = 2 * time.Second       // wait this long for a sync mark
	lagTimeout  = 20 * time.Millisecond // ... or this long on a stream that missed one
)

const (
	preReadyLimit = 1 << 20  // raw bytes held before the nonce is known
	maxMarkBody   = 128      // longest nonce:seq accepted inside a mark
	tailSize      = 64 << 10 // stderr kept for describing a crash
)

const (
	stdout = 0
	stderr = 1
)

var streamNames = [2]string{"stdout", "stderr"}

// segment is text that followed sync mark epoch (0: no mark yet).
type segment struct {
	epoch uint64
	text  []byte
}

// stream is the parse state of one of the worker's output pipes.
type stream struct {
	raw     []byte    // bytes not parsed yet: a partial mark, an incomplete rune
	segs    []segment // parsed text waiting to be passed on, oldest first
	epoch   uint64    // sequence number of the last sync mark seen
	eof     bool
	lagging bool   // missed a sync mark: wait for the next one only briefly
	shown   int    // bytes of this stream kept for the current cell
	dropped int    // bytes dropped over the cap since the last note
	tail    []byte // recent text since the last sync mark
}

// coalescer turns the worker's two output pipes into as few stream messages
// as possible, strips sync marks, and lets events wait for the output that
// preceded them. Text after sync mark N is held back until the event that
// carries Sync N has been acted on, so displays and text keep their order.
type coalescer struct {
	log *log.Logger

	// emitMu serialises every call into the target Output; it is taken
	// before mu and held across those calls.
	emitMu sync.Mutex

	mu      sync.Mutex
	nonce   string
	s       [2]stream
	allowed uint64        // text with epoch < allowed may be passed on
	final   bool          // the worker is gone: parse everything as text
	target  kernel.Output // the current or most recent cell's Output
	changed chan struct{} // closed and replaced when a mark or EOF is seen

	wake chan struct{} // nudges run: text may be ready
}

func newCoalescer(l *log.Logger) *coalescer {
	return &coalescer{
		log:     l,
		allowed: 1,
		changed: make(chan struct{}),
		wake:    make(chan struct{}, 1),
	}
}

var markPrefix = []byte(wire.SyncPrefix)

// write takes bytes read from stream i. The flush timer is nudged only
// when text came: most writes around an event are just its sync mark.
func (c *coalescer) write(i int, p []byte) {
	c.mu.Lock()
	st := &c.s[i]
	st.raw = append(st.raw, p...)
	shown, dropped := st.shown, st.dropped
	c.parse(st)
	text := st.shown != shown || st.dropped != dropped
	c.mu.Unlock()
	if text {
		c.nudge()
	}
}

// closeStream records the end of stream i.
func (c *coalescer) closeStream(i int) {
	c.mu.Lock()
	c.s[i].eof = true
	c.parse(&c.s[i])
	c.notifyLocked()
	c.mu.Unlock()
	c.nudge()
}

// setNonce starts recognising sync marks made with nonce.
func (c *coalescer) setNonce(nonce string) {
	c.mu.Lock()
	c.nonce = nonce
	for i := range c.s {
		c.parse(&c.s[i])
	}
	c.notifyLocked()
	c.mu.Unlock()
	c.nudge()
}

func (c *coalescer) nudge() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *coalescer) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// parse moves what it can of st.raw into st.segs, stripping sync marks. It
// holds back a trailing partial mark and a trailing incomplete UTF-8
// sequence until more bytes come, unless the stream has ended.
func (c *coalescer) parse(st *stream) {
	holdAll := !st.eof && !c.final
	if c.nonce == "" && holdAll && len(st.raw) < preReadyLimit {
		return // marks cannot be recognised yet
	}
	raw := st.raw
	for len(raw) > 0 {
		i := bytes.Index(raw, markPrefix)
		if i < 0 {
			keep := 0
			if holdAll {
				if keep = partialPrefix(raw); keep == 0 {
					keep = incompleteRune(raw)
				}
			}
			c.add(st, raw[:len(raw)-keep])
			raw = raw[len(raw)-keep:]
			break
		}
		c.add(st, raw[:i])
		rest := raw[i+len(markPrefix):]
		j := bytes.IndexByte(rest, 0)
		if j < 0 && holdAll && len(rest) <= maxMarkBody {
			raw = raw[i:] // wait for the rest of the mark
			break
		}
		if j >= 0 {
			if seq, ok := c.markSeq(rest[:j]); ok {
				if seq > st.epoch {
					st.epoch = seq
				}
				st.lagging = false
				st.tail = st.tail[:0]
				c.notifyLocked()
				raw = rest[j+1:]
				continue
			}
		}
		// Not a mark after all: pass the prefix on as text.
		c.add(st, raw[i:i+len(markPrefix)])
		raw = rest
	}
	n := copy(st.raw, raw)
	st.raw = st.raw[:n]
}

// markSeq parses the "nonce:seq" body of a sync mark.
func (c *coalescer) markSeq(body []byte) (uint64, bool) {
	nonce, seq, ok := strings.Cut(string(body), ":")
	if !ok || c.nonce == "" || nonce != c.nonce {
		return 0, false
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	return n, err == nil
}

// partialPrefix is the length of the longest suffix of b that is a proper
// prefix of a sync mark.
func partialPrefix(b []byte) int {
	for n := min(len(b), len(markPrefix)-1); n > 0; n-- {
		if bytes.Equal(markPrefix[:n], b[len(b)-n:]) {
			return n
		}
	}
	return 0
}

// incompleteRune is the length of a UTF-8 sequence cut short at the end of
// b, or 0.
func incompleteRune(b []byte) int {
	for n := 1; n <= utf8.UTFMax-1 && n <= len(b); n++ {
		c := b[len(b)-n]
		if utf8.RuneStart(c) {
			if c >= utf8.RuneSelf && !utf8.FullRune(b[len(b)-n:]) {
				return n
			}
			return 0
		}
	}
	return 0
}

// add appends parsed text to st, enforcing the per-cell cap.
func (c *coalescer) add(st *stream, p []byte) {
	if len(p) == 0 {
		return
	}
	st.tail = append(st.tail, p...)
	if len(st.tail) > tailSize {
		st.tail = st.tail[len(st.tail)-tailSize/2:]
	}
	if room := streamCap - st.shown; len(p) > room {
		cut := max(room, 0)
		for cut > 0 && !utf8.RuneStart(p[cut]) {
			cut--
		}
		st.dropped += len(p) - cut
		p = p[:cut]
	}
	if len(p) == 0 {
		return
	}
	st.shown += len(p)
	if n := len(st.segs); n > 0 && st.segs[n-1].epoch == st.epoch {
		st.segs[n-1].text = append(st.segs[n-1].text, p...)
		return
	}
	st.segs = append(st.segs, segment{epoch: st.epoch, text: append([]byte(nil), p...)})
}

// pendingLocked is how many bytes could be passed on now.
func (c *coalescer) pendingLocked() int {
	n := 0
	for i := range c.s {
		for _, sg := range c.s[i].segs {
			if sg.epoch >= c.allowed {
				break
			}
			n += len(sg.text)
		}
	}
	return n
}

// takeLocked removes and returns the text of stream i that may be passed on.
func (c *coalescer) takeLocked(i int) string {
	st := &c.s[i]
	var b strings.Builder
	k := 0
	for ; k < len(st.segs) && st.segs[k].epoch < c.allowed; k++ {
		b.Write(st.segs[k].text)
	}
	st.segs = append(st.segs[:0], st.segs[k:]...)
	return b.String()
}

// flushLocked passes on all text that may be passed on. emitMu must be held.
func (c *coalescer) flushLocked() {
	c.mu.Lock()
	out := c.target
	var texts [2]string
	for i := range c.s {
		texts[i] = c.takeLocked(i)
	}
	c.mu.Unlock()
	for i, t := range texts {
		if t != "" {
			c.emit(out, streamNames[i], t)
		}
	}
}

// noteLocked reports output dropped over the cap. emitMu must be held.
func (c *coalescer) noteLocked() {
	c.mu.Lock()
	out := c.target
	n := c.s[stdout].dropped + c.s[stderr].dropped
	c.s[stdout].dropped, c.s[stderr].dropped = 0, 0
	c.mu.Unlock()
	if n > 0 {
		c.emit(out, "stderr", fmt.Sprintf("\n[output truncated: %d more bytes not shown]\n", n))
	}
}

func (c *coalescer) emit(out kernel.Output, name, text string) {
	if out == nil {
		c.log.Printf("worker %s with no cell to show it: %q", name, clip(text))
		return
	}
	out.Stream(name, text)
}

// flush passes on whatever may be passed on now.
func (c *coalescer) flush() {
	c.emitMu.Lock()
	c.flushLocked()
	c.emitMu.Unlock()
}

// setTarget makes out the Output for stream text from now on, after
// passing on what is pending to the previous one, and starts the per-cell
// cap afresh.
func (c *coalescer) setTarget(out kernel.Output) {
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	c.flushLocked()
	c.noteLocked()
	c.mu.Lock()
	c.target = out
	for i := range c.s {
		c.s[i].shown = 0
	}
	c.mu.Unlock()
}

// syncPoint handles an event that carried sync sequence seq (0: none): it
// waits for the mark on both streams, passes on the text before it, runs
// act with the target Output (nil when no cell ever ran), and then releases
// the text after the mark.
func (c *coalescer) syncPoint(seq uint64, act func(out kernel.Output)) {
	if seq > 0 {
		c.allow(seq)
		c.waitMarks(seq)
	}
	c.emitMu.Lock()
	c.flushLocked()
	if act != nil {
		c.mu.Lock()
		out := c.target
		c.mu.Unlock()
		act(out)
	}
	c.emitMu.Unlock()
	if seq > 0 {
		c.allow(seq + 1)
	}
}

// allow lets text with epoch < n be passed on, nudging the flush timer
// when that made text ready.
func (c *coalescer) allow(n uint64) {
	c.mu.Lock()
	ready := false
	if n > c.allowed {
		c.allowed = n
		ready = c.pendingLocked() > 0
	}
	c.mu.Unlock()
	if ready {
		c.nudge()
	}
}

// waitMarks waits until both streams have shown sync mark seq, ended, or
// timed out (a stream that timed out before gets a much shorter wait until
// it shows a mark again).
func (c *coalescer) waitMarks(seq uint64) {
	start := time.Now()
	for {
		c.mu.Lock()
		wait := time.Duration(math.MaxInt64)
		for i := range c.s {
			st := &c.s[i]
			if st.epoch >= seq || st.eof || c.final {
				continue
			}
			limit := syncTimeout
			if st.lagging {
				limit = lagTimeout
			}
			left := limit - time.Since(start)
			if left <= 0 {
				if !st.lagging {
					c.log.Printf("no sync mark %d on worker %s within %v; going on", seq, streamNames[i], limit)
				}
				st.lagging = true
				continue
			}
			wait = min(wait, left)
		}
		ch := c.changed
		c.mu.Unlock()
		if wait == time.Duration(math.MaxInt64) {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-ch:
		case <-t.C:
		}
		t.Stop()
	}
}

// finish is called once the worker is gone and its pipes are read to the
// end (or abandoned): everything left is passed on as text.
func (c *coalescer) finish() {
	c.mu.Lock()
	c.final = true
	c.allowed = math.MaxUint64
	for i := range c.s {
		c.parse(&c.s[i])
	}
	c.notifyLocked()
	c.mu.Unlock()
	c.emitMu.Lock()
	c.flushLocked()
	c.noteLocked()
	c.emitMu.Unlock()
}

// crashLine picks the line of recent stderr that best says why the worker
// died: a Go panic or fatal error, else the first non-blank line.
func (c *coalescer) crashLine() string {
	c.mu.Lock()
	tail := string(c.s[stderr].tail) + string(c.s[stderr].raw)
	c.mu.Unlock()
	first := ""
	for line := range strings.Lines(tail) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") {
			return clip(line)
		}
		if first == "" {
			first = line
		}
	}
	return clip(first)
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > 200 {
		return string(r[:200]) + "…"
	}
	return s
}

// run is the flush timer: it passes text on flushDelay after it became
// ready, or at once when flushSize bytes wait. It returns when stop closes.
func (c *coalescer) run(stop <-chan struct{}) {
	t := time.NewTimer(time.Hour)
	t.Stop()
	armed := false
	for {
		select {
		case <-stop:
			t.Stop()
			return
		case <-c.wake:
			c.mu.Lock()
			n := c.pendingLocked()
			c.mu.Unlock()
			switch {
			case n >= flushSize:
				t.Stop()
				armed = false
				c.flush()
			case n > 0 && !armed:
				t.Reset(flushDelay)
				armed = true
			}
		case <-t.C:
			armed = false
			c.flush()
		}
	}
}
