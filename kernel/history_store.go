package kernel

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// The history on disk is two JSON-lines files: path, which kernels append
// to, and path.1, the one before it. A file that grows past historyFileCap
// is renamed to path.1 (replacing the older one), so the history holds the
// last 2 to 4 MiB of entries, whatever the number of kernels writing it.
// path.session holds the last session number handed out, and is the lock
// that numbering and rotation take.
//
// historyFileCap is a variable for tests only.
var historyFileCap int64 = 2 << 20

const (
	// maxStoredOutput bounds each entry's output: the history is for
	// finding inputs again, and a cell that prints a megabyte must not
	// push everything else out.
	maxStoredOutput = 4 << 10
	// maxMemoryEntries bounds the current session's entries kept in memory.
	maxMemoryEntries = 10000
	// sessionScan is how much of the end of each file is read to find the
	// last session number when path.session is missing.
	sessionScan = 64 << 10
)

func olderFile(path string) string   { return path + ".1" }
func sessionFile(path string) string { return path + ".session" }

// nextSession hands out the next session number: one past the last one
// handed out, under the lock, so that kernels started at the same time get
// different numbers. Reading only the counter keeps start time independent
// of how much history there is.
func nextSession(path string) (int, error) {
	f, unlock, err := lockSession(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	defer unlock()
	b, err := io.ReadAll(f)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	last, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		// No counter yet (or a damaged one): continue after what the
		// files hold, so a new session never takes an old one's number.
		last = max(lastSessionIn(path), lastSessionIn(olderFile(path)))
	}
	next := last + 1
	if err := f.Truncate(0); err != nil {
		return 0, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(next)+"\n"), 0); err != nil {
		return 0, fmt.Errorf("write %s: %w", f.Name(), err)
	}
	return next, nil
}

// lockSession opens path.session and takes its lock.
func lockSession(path string) (*os.File, func(), error) {
	f, err := os.OpenFile(sessionFile(path), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("session counter: %w", err)
	}
	unlock, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return f, unlock, nil
}

// lastSessionIn is the largest session number in the last sessionScan
// bytes of file, 0 if none.
func lastSessionIn(file string) int {
	last := 0
	_ = scanTail(file, sessionScan, func(e historyEntry) { last = max(last, e.Session) })
	return last
}

// scanTail decodes the entries in the last limit bytes of file (all of it
// when smaller), oldest first, and returns how many lines were not entries.
// A missing file holds no entries.
func scanTail(file string, limit int64, each func(historyEntry)) (bad int) {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	var r io.Reader = f
	partial := false
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		if _, err := f.Seek(fi.Size()-limit, io.SeekStart); err == nil {
			partial = true // the first line read is the end of one
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if partial {
			partial = false
			continue
		}
		if len(line) == 0 {
			continue
		}
		var e historyEntry
		if err := json.Unmarshal(line, &e); err != nil || e.Session <= 0 {
			bad++
			continue
		}
		each(e)
	}
	return bad
}

// appendFile appends e to the history file as one write (O_APPEND: lines
// of kernels writing at once do not mix), then rotates the file once it is
// past historyFileCap.
func (h *history) appendFile(e historyEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode entry: %w", err)
	}
	b = append(b, '\n')
	h.fileMu.Lock()
	defer h.fileMu.Unlock()
	// The file stays open: opening it for every cell cost more than the
	// rest of a trivial cell's bookkeeping. Another kernel may have
	// rotated it since: then write to the new one.
	if h.file != nil && !h.isCurrent() {
		h.file.Close()
		h.file = nil
	}
	if h.file == nil {
		f, err := os.OpenFile(h.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("append: %w", err)
		}
		h.file = f
	}
	if _, err := h.file.Write(b); err != nil {
		// Reopen next time: the file may have been removed or replaced.
		h.file.Close()
		h.file = nil
		return fmt.Errorf("append %s: %w", h.path, err)
	}
	if fi, err := h.file.Stat(); err == nil && fi.Size() > historyFileCap {
		if err := h.rotate(); err != nil {
			return err
		}
	}
	return nil
}

// isCurrent tells whether the open file is still the one at h.path.
func (h *history) isCurrent() bool {
	open, err1 := h.file.Stat()
	named, err2 := os.Stat(h.path)
	return err1 == nil && err2 == nil && os.SameFile(open, named)
}

// rotate renames the full history file to path.1. Under the session lock,
// and only if the file at path is still past the cap: two kernels that both
// saw it full rotate it once, and the second does not push the first one's
// fresh file out. A kernel still writing to the renamed file writes into
// path.1 until it notices (isCurrent), so no entry is lost.
func (h *history) rotate() error {
	lock, unlock, err := lockSession(h.path)
	if err != nil {
		return fmt.Errorf("rotate: %w", err)
	}
	defer lock.Close()
	defer unlock()
	fi, err := os.Stat(h.path)
	if err != nil || fi.Size() <= historyFileCap {
		return nil
	}
	if err := os.Rename(h.path, olderFile(h.path)); err != nil {
		return fmt.Errorf("rotate %s: %w", h.path, err)
	}
	h.file.Close()
	h.file = nil
	return nil
}

// stored reads the entries of earlier sessions from the files: at most
// about historyFileCap from each, so the time it takes stays bounded even
// for a file written by an older kernel, which did not rotate.
func (h *history) stored() []historyEntry {
	if h.path == "" {
		return nil
	}
	var out []historyEntry
	bad := 0
	for _, f := range []string{olderFile(h.path), h.path} {
		bad += scanTail(f, historyFileCap+sessionScan, func(e historyEntry) {
			if e.Session != h.session {
				out = append(out, e)
			}
		})
	}
	if bad > 0 {
		h.log.Printf("history: skipped %d malformed lines in %s", bad, h.path)
	}
	return out
}
