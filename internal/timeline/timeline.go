// Package timeline draws a traced cell (tracer.Trace) for a notebook: an
// inline SVG timeline with one lane per goroutine and one per P, and a short
// plain-text summary.
//
// The SVG uses presentation attributes only and puts a <title> tooltip on
// every span, so it renders, tooltips included, in JupyterLab, the classic
// notebook, nbviewer and GitHub, none of which need (or on GitHub, allow)
// JavaScript. Size stays bounded whatever the trace: spans narrower than a
// pixel are merged, and when there are many lanes, goroutines started by the
// same go statement share one aggregated lane.
package timeline

import (
	"cmp"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/juggler-kernel/juggler/internal/tracer"
)

// Layout, in pixels.
const (
	width     = 1000.0
	labelEnd  = 184.0 // right edge of lane labels
	plotX0    = 192.0
	plotX1    = 988.0
	laneH     = 16.0 // lane pitch
	barH      = 12.0 // running and runnable bars; blocked ones are thinner
	aggH      = 30.0 // pitch of an aggregated lane
	headerH   = 20.0 // pitch of a group heading
	minPx     = 1.0  // spans narrower than this are merged with neighbours
	aggBucket = 4.0  // width of one column of an aggregated lane
)

// Limits that keep the output small.
const (
	maxLanes = 50  // beyond this many goroutine lanes, alike goroutines share a lane
	maxRows  = 120 // beyond this, every group's remaining single lanes share one
	maxEdges = 150 // per kind (creation, wake-up)
)

// Colours by state; blocked reasons get calm, distinct colours.
var stateColour = map[string]string{
	"running":               "#3a9e5a",
	"runnable":              "#f2b632",
	tracer.ReasonChanSend:   "#5b7fc7",
	tracer.ReasonChanRecv:   "#8fb8e8",
	tracer.ReasonSelect:     "#a17cc4",
	tracer.ReasonSync:       "#c98b5e",
	tracer.ReasonSleep:      "#b5b5b5",
	tracer.ReasonSyscall:    "#d9738f",
	tracer.ReasonIO:         "#5fb8ad",
	tracer.ReasonForever:    "#d65a5a",
	tracer.ReasonGC:         "#a3ad74",
	tracer.ReasonOther:      "#d9d4c7",
	"preempted":             "#f2b632",
	"runtime.Gosched":       "#f2b632",
	"system goroutine wait": "#d9d4c7",
}

// legendOrder is the legend, left to right.
var legendOrder = []string{"running", "runnable", tracer.ReasonChanSend, tracer.ReasonChanRecv, tracer.ReasonSelect, tracer.ReasonSync, tracer.ReasonSleep, tracer.ReasonSyscall, tracer.ReasonIO, tracer.ReasonForever}

// goPalette colours goroutines in the P lanes (and their label swatches),
// so that one can follow a goroutine from P to P.
var goPalette = []string{"#4e79a7", "#e07b39", "#76b7b2", "#b07aa1", "#9c755f", "#e15759", "#59a14f", "#d4a017", "#ff9da7", "#7f7f7f"}

const (
	flowColour   = "#34495e"
	hiddenColour = "#d0d0d0"
)

// class is the colour key of a span: its state, or its reason when blocked.
func class(s tracer.Span) string {
	switch s.State {
	case tracer.Running:
		return "running"
	case tracer.Runnable:
		return "runnable"
	}
	return s.Reason
}

func colourOf(class string) string {
	if c, ok := stateColour[class]; ok {
		return c
	}
	return stateColour[tracer.ReasonOther]
}

// rowKind says what a row of the timeline shows.
type rowKind uint8

const (
	rowHeader rowKind = iota
	rowGoroutine
	rowAggregate
	rowProc
)

type row struct {
	kind    rowKind
	label   string
	tip     string
	y       float64 // top
	h       float64
	colour  string
	g       *tracer.Goroutine   // rowGoroutine
	members []*tracer.Goroutine // rowAggregate
	p       *tracer.Proc        // rowProc
}

// renderer holds what drawing one trace needs.
type renderer struct {
	t        *tracer.Trace
	b        strings.Builder
	span     float64 // window length in ns, > 0
	goColour map[int64]string
	goLabel  map[int64]string
	laneMid  map[int64]float64 // centre of a goroutine's own lane
}

func (r *renderer) x(t int64) float64 {
	return plotX0 + float64(t-r.t.Start)/r.span*(plotX1-plotX0)
}

// rel formats a time as an offset into the window, for tooltips.
func (r *renderer) rel(t int64) string {
	if t == r.t.Start {
		return "0"
	}
	return Dur(time.Duration(t - r.t.Start))
}

// HTML renders the timeline of a traced cell as a text/html fragment: one
// inline <svg>, complete without JavaScript.
func HTML(t *tracer.Trace) string {
	r := &renderer{t: t, span: float64(t.End - t.Start), goColour: map[int64]string{}, goLabel: map[int64]string{}, laneMid: map[int64]float64{}}
	if r.span <= 0 {
		r.span = 1
	}
	rows := r.layout()

	y := r.header()
	top := y
	for i := range rows {
		rows[i].y = y
		y += rows[i].h
	}
	bottom := y
	r.grid(top, bottom)
	for i := range rows {
		r.row(&rows[i])
	}
	r.edges()

	height := bottom + 8
	var out strings.Builder
	out.Grow(r.b.Len() + 400)
	fmt.Fprintf(&out, `<div style="overflow-x:auto"><svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`, int(width), int(height), int(width), int(height))
	fmt.Fprintf(&out, `<rect width="%d" height="%d" fill="#ffffff"/>`, int(width), int(height))
	out.WriteString(r.b.String())
	out.WriteString("</svg></div>")
	// The summary in words, visible too: front ends show only the richest
	// mime type of an output, and that is this HTML.
	out.WriteString(`<pre style="font-family:sans-serif;font-size:12px;white-space:pre-wrap;margin:4px 0 0 0">`)
	out.WriteString(html.EscapeString(strings.TrimSuffix(Summary(t), "\n")))
	out.WriteString("</pre>")
	return out.String()
}

// layout decides the rows: the cell's goroutines, earlier cells', then Ps.
func (r *renderer) layout() []row {
	t := r.t
	var rows []row
	lanes := 0
	for _, g := range t.Goroutines {
		if g.Group != tracer.GroupCellFlow {
			lanes++
		}
	}
	// Goroutines started by the same go statement get "#1", "#2", ... so
	// that they can be told apart in tooltips and P lanes.
	same := map[string]int{}
	for _, g := range t.Goroutines {
		same[g.Label()]++
	}
	nth := map[string]int{}
	ci := 0
	for _, g := range t.Goroutines {
		l := g.Label()
		if same[l] > 1 {
			nth[l]++
			l += " #" + strconv.Itoa(nth[l])
		}
		r.goLabel[g.ID] = l
		if g.Group == tracer.GroupCellFlow {
			r.goColour[g.ID] = flowColour
		} else {
			r.goColour[g.ID] = goPalette[ci%len(goPalette)]
			ci++
		}
	}

	for _, grp := range []tracer.Group{tracer.GroupThisCell, tracer.GroupEarlier} {
		var gs []*tracer.Goroutine
		for _, g := range t.Goroutines {
			if g.Group == grp || grp == tracer.GroupThisCell && g.Group == tracer.GroupCellFlow {
				gs = append(gs, g)
			}
		}
		if len(gs) == 0 {
			continue
		}
		rows = append(rows, row{kind: rowHeader, label: grp.String(), h: headerH})
		groupRows := r.goroutineRows(gs, lanes > maxLanes)
		rows = append(rows, groupRows...)
	}

	rows = append(rows, row{kind: rowHeader, label: "processors (P)", h: headerH,
		tip: "Each P runs one goroutine at a time. Several Ps busy at once is parallelism; goroutines taking turns on one P is concurrency."})
	for _, p := range t.Procs {
		rows = append(rows, row{kind: rowProc, label: "P" + strconv.Itoa(p.ID), h: laneH, p: p,
			tip: "P" + strconv.Itoa(p.ID) + ": which goroutine ran on this processor"})
	}
	return rows
}

// goroutineRows gives each goroutine of a group its lane, or, when there are
// too many, one lane per go statement with more than one goroutine.
func (r *renderer) goroutineRows(gs []*tracer.Goroutine, aggregate bool) []row {
	if !aggregate {
		rows := make([]row, len(gs))
		for i, g := range gs {
			rows[i] = r.singleRow(g)
		}
		return rows
	}
	type key struct {
		cell int64
		line int
		fn   string
	}
	byKey := map[key][]*tracer.Goroutine{}
	var order []key
	for _, g := range gs {
		k := key{g.Cell, g.Line, g.Fn}
		if g.Group == tracer.GroupCellFlow {
			k.line = -1 // never merged
		}
		if byKey[k] == nil {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], g)
	}
	var rows []row
	var singles []*tracer.Goroutine
	for _, k := range order {
		m := byKey[k]
		if len(m) == 1 {
			rows = append(rows, r.singleRow(m[0]))
			singles = append(singles, m[0])
			continue
		}
		rows = append(rows, r.aggRow(m[0].Label()+" ×"+strconv.Itoa(len(m)), m))
	}
	if len(rows) <= maxRows {
		return rows
	}
	// Still too many: keep the cell flow and the aggregates, fold the rest.
	var kept []row
	var folded []*tracer.Goroutine
	for _, rw := range rows {
		if rw.kind == rowGoroutine && rw.g.Group != tracer.GroupCellFlow {
			folded = append(folded, rw.g)
			continue
		}
		kept = append(kept, rw)
	}
	return append(kept, r.aggRow(strconv.Itoa(len(folded))+" other goroutines", folded))
}

func (r *renderer) singleRow(g *tracer.Goroutine) row {
	tip := fmt.Sprintf("%s (goroutine %d)", r.goLabel[g.ID], g.ID)
	if g.Existed {
		tip += ", already running when the cell started"
	} else if g.Group != tracer.GroupCellFlow {
		tip += ", created at " + r.rel(g.Created)
	}
	if g.Ended >= 0 {
		tip += ", ended at " + r.rel(g.Ended)
	} else if g.Group != tracer.GroupCellFlow {
		tip += ", still " + waitsOn(g.Last()) + " at the end"
	}
	return row{kind: rowGoroutine, label: r.goLabel[g.ID], tip: tip, h: laneH, g: g, colour: r.goColour[g.ID]}
}

func (r *renderer) aggRow(label string, members []*tracer.Goroutine) row {
	c := r.goColour[members[0].ID]
	for _, g := range members {
		r.goColour[g.ID] = c
		r.goLabel[g.ID] = label
	}
	return row{kind: rowAggregate, label: label, h: aggH, members: members, colour: c,
		tip: label + ": one lane for many alike goroutines; bar heights show how many were in each state"}
}

// header draws the title line, the legend and the time axis; it returns the
// y where lanes start.
func (r *renderer) header() float64 {
	t := r.t
	peak, _ := t.PeakRunning()
	cpu := ""
	if cpus, ok := t.CPUs(); ok {
		cpu = fmt.Sprintf(" · %s CPU (%.1f CPUs busy)", Dur(t.CPU), cpus)
	}
	title := fmt.Sprintf("%s wall%s · GOMAXPROCS %d · at most %d running at once · %s", Dur(t.Wall()), cpu, t.GOMAXPROCS, peak, plural(len(t.Goroutines)-flowCount(t), "goroutine", "goroutines"))
	fmt.Fprintf(&r.b, `<text x="4" y="14" font-size="12" font-weight="bold" fill="#222">%s</text>`, esc(title))

	x, ly := 4.0, 22.0
	for _, c := range legendOrder {
		label := c
		if c == "running" {
			label = "running (holds a P)"
		} else if c == "runnable" {
			label = "runnable (waiting for a P)"
		} else {
			label = "blocked: " + c
			if c == tracer.ReasonForever {
				label = "blocked forever"
			}
		}
		w := 13 + 6*float64(len([]rune(label))) + 10
		if x+w > width {
			x, ly = 4, ly+14
		}
		fmt.Fprintf(&r.b, `<rect x="%.1f" y="%.1f" width="10" height="10" fill="%s"/><text x="%.1f" y="%.1f" fill="#444">%s</text>`, x, ly, colourOf(c), x+13, ly+9, esc(label))
		x += w
	}
	if x+110 > width {
		x, ly = 4, ly+14
	}
	fmt.Fprintf(&r.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#777" stroke-width="1"/><text x="%.1f" y="%.1f" fill="#444">created / woke</text>`, x, ly+5, x+14, ly+5, x+18, ly+9)
	r.arrowHead(x+16, ly+5, 1, 0, "#777")

	// Axis: tick labels above a baseline.
	axisY := ly + 34
	fmt.Fprintf(&r.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999" stroke-width="1"/>`, plotX0, axisY, plotX1, axisY)
	step := niceStep(r.span, 8)
	for v := 0.0; v <= r.span+step/1e6; v += step {
		tx := plotX0 + v/r.span*(plotX1-plotX0)
		anchor := "middle"
		if v == 0 {
			anchor = "start"
		} else if tx > plotX1-20 {
			anchor = "end"
		}
		fmt.Fprintf(&r.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999" stroke-width="1"/><text x="%.1f" y="%.1f" text-anchor="%s" fill="#555">%s</text>`,
			tx, axisY-4, tx, axisY, tx, axisY-7, anchor, tickLabel(v, r.span))
	}
	return axisY + 6
}

func flowCount(t *tracer.Trace) int {
	n := 0
	for _, g := range t.Goroutines {
		if g.Group == tracer.GroupCellFlow {
			n++
		}
	}
	return n
}

// grid draws light vertical lines at the ticks, behind the lanes.
func (r *renderer) grid(top, bottom float64) {
	step := niceStep(r.span, 8)
	for v := step; v <= r.span+step/1e6; v += step {
		tx := plotX0 + v/r.span*(plotX1-plotX0)
		fmt.Fprintf(&r.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eeeeee" stroke-width="1"/>`, tx, top, tx, bottom)
	}
}

// row draws one row: its label, then its spans.
func (r *renderer) row(rw *row) {
	if rw.kind == rowHeader {
		fmt.Fprintf(&r.b, `<text x="4" y="%.1f" font-weight="bold" fill="#333">%s`, rw.y+14, esc(rw.label))
		if rw.tip != "" {
			fmt.Fprintf(&r.b, `<title>%s</title>`, esc(rw.tip))
		}
		fmt.Fprintf(&r.b, `</text><line x1="4" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#dddddd" stroke-width="1"/>`, rw.y+17, plotX1, rw.y+17)
		return
	}
	mid := rw.y + rw.h/2
	label := rw.label
	if len([]rune(label)) > 30 {
		label = string([]rune(label)[:29]) + "…"
	}
	fmt.Fprintf(&r.b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#222">%s<title>%s</title></text>`, labelEnd-12, mid+4, esc(label), esc(rw.tip))
	if rw.colour != "" {
		fmt.Fprintf(&r.b, `<rect x="%.1f" y="%.1f" width="8" height="8" fill="%s"/>`, labelEnd-8, mid-4, rw.colour)
	}
	switch rw.kind {
	case rowGoroutine:
		r.laneMid[rw.g.ID] = mid
		r.goroutineSpans(rw.g, mid)
	case rowAggregate:
		r.aggregateSpans(rw, mid)
	case rowProc:
		r.procSpans(rw.p, mid)
	}
}

// runs walks n items sorted by time and calls emit for each run to draw: an
// item at least minPx wide alone, narrower neighbours pooled until the pool
// is minPx wide or a gap opens. This bounds a lane to about one rectangle
// per pixel.
func runs(n int, px func(i int) (x0, x1 float64), emit func(lo, hi int, x0, x1 float64)) {
	lo := -1
	var bx0, bx1 float64
	flush := func(hi int) {
		if lo >= 0 {
			emit(lo, hi, bx0, bx1)
			lo = -1
		}
	}
	for i := range n {
		a, b := px(i)
		if b-a >= minPx {
			flush(i)
			emit(i, i+1, a, b)
			continue
		}
		if lo >= 0 && a-bx1 > minPx {
			flush(i)
		}
		if lo < 0 {
			lo, bx0 = i, a
		}
		bx1 = max(b, bx1)
		if bx1-bx0 >= minPx {
			flush(i + 1)
		}
	}
	flush(n)
}

func (r *renderer) goroutineSpans(g *tracer.Goroutine, mid float64) {
	spans := g.Spans
	runs(len(spans), func(i int) (float64, float64) {
		return r.x(spans[i].Start), r.x(spans[i].End)
	}, func(lo, hi int, x0, x1 float64) {
		if hi-lo == 1 {
			s := spans[lo]
			r.bar(x0, x1, mid, s.State == tracer.Blocked, colourOf(class(s)), r.spanTip(g, s))
			return
		}
		// Pooled: the colour of the state that took most of the time.
		byClass := map[string]int64{}
		for _, s := range spans[lo:hi] {
			byClass[class(s)] += s.End - s.Start
		}
		top := topClass(byClass)
		tip := fmt.Sprintf("%s: %d short spans in %s (%s–%s): %s", r.goLabel[g.ID], hi-lo, Dur(time.Duration(spans[hi-1].End-spans[lo].Start)), r.rel(spans[lo].Start), r.rel(spans[hi-1].End), shares(byClass))
		r.bar(x0, x1, mid, top != "running" && top != "runnable", colourOf(top), tip)
	})
}

// bar draws one span; blocked spans are thinner so that work stands out.
func (r *renderer) bar(x0, x1, mid float64, thin bool, colour, tip string) {
	h := barH
	if thin {
		h = barH / 2
	}
	w := max(x1-x0, 0.5)
	fmt.Fprintf(&r.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%g" fill="%s"><title>%s</title></rect>`, x0, mid-h/2, w, h, colour, esc(tip))
}

func (r *renderer) spanTip(g *tracer.Goroutine, s tracer.Span) string {
	var b strings.Builder
	b.WriteString(r.goLabel[g.ID] + ": ")
	switch s.State {
	case tracer.Running:
		b.WriteString("running")
		if s.P >= 0 {
			b.WriteString(" on P" + strconv.Itoa(s.P))
		}
		if s.M >= 0 {
			b.WriteString(" (thread M" + strconv.FormatInt(s.M, 10) + ")")
		}
	case tracer.Runnable:
		b.WriteString("runnable, waiting for a P")
		if s.Reason != "" {
			b.WriteString(" (" + s.Reason + ")")
		}
	case tracer.Blocked:
		b.WriteString("blocked (" + s.Reason + ")")
	}
	b.WriteString(" for " + Dur(s.Duration()) + ", " + r.rel(s.Start) + "–" + r.rel(s.End))
	if s.WokenBy != 0 {
		who := r.goLabel[s.WokenBy]
		if who == "" {
			who = "goroutine " + strconv.FormatInt(s.WokenBy, 10)
		}
		b.WriteString("; woken by " + who)
	}
	if s.RawReason != "" {
		b.WriteString("; the trace says " + strconv.Quote(s.RawReason) + ": the interpreter runs this channel operation through reflect.Select")
	}
	return b.String()
}

func (r *renderer) procSpans(p *tracer.Proc, mid float64) {
	spans := p.Spans
	name := "P" + strconv.Itoa(p.ID)
	who := func(id int64) string {
		if l, ok := r.goLabel[id]; ok {
			return l
		}
		return "goroutine " + strconv.FormatInt(id, 10) + " of the Go runtime or of Juggler"
	}
	runs(len(spans), func(i int) (float64, float64) {
		return r.x(spans[i].Start), r.x(spans[i].End)
	}, func(lo, hi int, x0, x1 float64) {
		if hi-lo == 1 {
			s := spans[lo]
			colour, ok := r.goColour[s.G]
			if !ok {
				colour = hiddenColour
			}
			tip := fmt.Sprintf("%s ran %s for %s, %s–%s (thread M%d)", name, who(s.G), Dur(time.Duration(s.End-s.Start)), r.rel(s.Start), r.rel(s.End), s.M)
			w := max(x1-x0, 0.5)
			fmt.Fprintf(&r.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%g" fill="%s"><title>%s</title></rect>`, x0, mid-barH/2, w, barH, colour, esc(tip))
			if w > 40 && ok {
				if text := fit(who(s.G), w-4); text != "" {
					fmt.Fprintf(&r.b, `<text x="%.1f" y="%.1f" fill="#ffffff" font-size="9" pointer-events="none">%s</text>`, x0+2, mid+3, esc(text))
				}
			}
			return
		}
		byWho := map[string]int64{}
		var longest int64
		colour := hiddenColour
		for _, s := range spans[lo:hi] {
			byWho[who(s.G)] += s.End - s.Start
			if d := s.End - s.Start; d > longest {
				longest = d
				if c, ok := r.goColour[s.G]; ok {
					colour = c
				} else {
					colour = hiddenColour
				}
			}
		}
		tip := fmt.Sprintf("%s, %s–%s: %d turns of %s: %s", name, r.rel(spans[lo].Start), r.rel(spans[hi-1].End), hi-lo, plural(len(byWho), "goroutine", "goroutines"), shares(byWho))
		fmt.Fprintf(&r.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%g" fill="%s"><title>%s</title></rect>`, x0, mid-barH/2, max(x1-x0, 0.5), barH, colour, esc(tip))
	})
}

// fit shortens s to about w pixels of 9px text, or returns "" if too little fits.
func fit(s string, w float64) string {
	n := int(w / 5.2)
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	if n < 4 {
		return ""
	}
	return string(rs[:n-1]) + "…"
}

// aggregateSpans draws an aggregated lane as columns: in each, stacked bars
// whose heights are the share of the lane's goroutines in each state on
// average over the column's time.
func (r *renderer) aggregateSpans(rw *row, mid float64) {
	n := int((plotX1 - plotX0) / aggBucket)
	dt := r.span / float64(n)
	cols := make([]map[string]float64, n)
	for _, g := range rw.members {
		for _, s := range g.Spans {
			a := float64(s.Start-r.t.Start) / dt
			b := float64(s.End-r.t.Start) / dt
			c := class(s)
			for i := max(int(a), 0); i < n && float64(i) < b; i++ {
				lo, hi := max(a, float64(i)), min(b, float64(i+1))
				if hi > lo {
					if cols[i] == nil {
						cols[i] = map[string]float64{}
					}
					cols[i][c] += hi - lo // in goroutine-columns
				}
			}
		}
	}
	// Full height is the most goroutines of the lane alive at once, so that
	// a lane of 1,000 short-lived goroutines still shows something.
	total := 0.0
	for _, c := range cols {
		sum := 0.0
		for _, v := range c {
			sum += v
		}
		total = max(total, sum)
	}
	h := aggH - 4
	base := mid + h/2
	// Classes bottom to top: running first, so that parallelism reads as
	// the height of the green.
	order := append([]string{"running", "runnable"}, legendOrder[2:]...)
	seen := map[string]bool{}
	for _, c := range order {
		seen[c] = true
	}
	sig := func(m map[string]float64) string {
		var b strings.Builder
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s=%.0f;", k, m[k]*100/total)
		}
		return b.String()
	}
	for i := 0; i < n; {
		if cols[i] == nil {
			i++
			continue
		}
		// Merge following columns that look the same (to the percent).
		j, s := i+1, sig(cols[i])
		for j < n && cols[j] != nil && sig(cols[j]) == s {
			j++
		}
		x0 := plotX0 + float64(i)*aggBucket
		w := float64(j-i) * aggBucket
		var parts []string
		var extra []string
		for c := range cols[i] {
			if !seen[c] {
				extra = append(extra, c)
			}
		}
		slices.Sort(extra)
		classes := append(slices.Clip(order), extra...)
		var body strings.Builder
		y := base
		for _, c := range classes {
			v := cols[i][c]
			if v <= 0 {
				continue
			}
			avg := v // goroutines on average, since v is in goroutine-columns per column
			parts = append(parts, fmt.Sprintf("%s %.1f", c, avg))
			bh := h * avg / total
			y -= bh
			fmt.Fprintf(&body, `<rect x="%.1f" y="%.2f" width="%.1f" height="%.2f" fill="%s"/>`, x0, y, w, max(bh, 0.3), colourOf(c))
		}
		t0 := r.t.Start + int64(float64(i)*dt)
		t1 := r.t.Start + int64(float64(j)*dt)
		tip := fmt.Sprintf("%s, %s–%s: goroutines on average: %s (full height: %.0f)", rw.label, r.rel(t0), r.rel(t1), strings.Join(parts, ", "), total)
		fmt.Fprintf(&r.b, `<g><title>%s</title>%s</g>`, esc(tip), body.String())
		i = j
	}
}

// edges draws creation and wake-up arrows between goroutines that have
// their own lane, up to maxEdges of each kind spread over the window.
func (r *renderer) edges() {
	var creates, wakes []tracer.Edge
	for _, e := range r.t.Edges {
		if r.laneMid[e.From] == 0 || r.laneMid[e.To] == 0 || e.From == e.To {
			continue
		}
		if e.Kind == tracer.Create {
			creates = append(creates, e)
		} else {
			wakes = append(wakes, e)
		}
	}
	for _, es := range [][]tracer.Edge{thin(creates), thin(wakes)} {
		for _, e := range es {
			x := r.x(e.At)
			y0, y1 := r.laneMid[e.From], r.laneMid[e.To]
			dir := 1.0
			if y1 < y0 {
				dir = -1
			}
			// Stop at the edge of the target's bar, so the head is visible.
			y1 -= dir * barH / 2
			verb, colour, dash := "woke", "#555555", ""
			if e.Kind == tracer.Create {
				verb, colour, dash = "created", "#888888", ` stroke-dasharray="2,2"`
			}
			tip := fmt.Sprintf("%s %s %s at %s", r.goLabel[e.From], verb, r.goLabel[e.To], r.rel(e.At))
			fmt.Fprintf(&r.b, `<g opacity="0.6"><title>%s</title><line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="0.8"%s/>`, esc(tip), x, y0, x, y1, colour, dash)
			r.arrowHead(x, y1, 0, dir, colour)
			r.b.WriteString("</g>")
		}
	}
}

// thin keeps at most maxEdges edges, evenly spaced in the list.
func thin(es []tracer.Edge) []tracer.Edge {
	if len(es) <= maxEdges {
		return es
	}
	out := make([]tracer.Edge, 0, maxEdges)
	for i := range maxEdges {
		out = append(out, es[i*len(es)/maxEdges])
	}
	return out
}

// arrowHead draws a small triangle at (x, y) pointing along (dx, dy), a unit
// axis vector. Markers would need ids, which clash between outputs.
func (r *renderer) arrowHead(x, y, dx, dy float64, colour string) {
	const l, w = 4.0, 2.5
	bx, by := x-dx*l, y-dy*l
	fmt.Fprintf(&r.b, `<path d="M%.1f %.1fL%.1f %.1fL%.1f %.1fZ" fill="%s"/>`, x, y, bx-dy*w, by+dx*w, bx+dy*w, by-dx*w, colour)
}

func topClass(m map[string]int64) string {
	best, bv := "", int64(-1)
	for k, v := range m {
		if v > bv || v == bv && k < best {
			best, bv = k, v
		}
	}
	return best
}

// shares lists the keys of m with their share of the total, largest first.
func shares(m map[string]int64) string {
	var total int64
	keys := make([]string, 0, len(m))
	for k, v := range m {
		total += v
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b)) })
	if len(keys) > 4 {
		keys = keys[:4]
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d%%", k, (m[k]*100+total/2)/max(total, 1))
	}
	return strings.Join(parts, ", ")
}

func esc(s string) string { return html.EscapeString(s) }
