package gokernel

// replayLog is the source of every cell that succeeded, oldest first: what
// a restarted worker replays. A notebook's cells are run again and again
// as they are edited, so each distinct source is kept once and a cell that
// ran costs 4 bytes more, not its whole text.
type replayLog struct {
	index map[string]int32 // source -> position in srcs
	srcs  []string
	order []int32 // the cells run, as positions in srcs
}

// add records that code ran and succeeded.
func (r *replayLog) add(code string) {
	i, ok := r.index[code]
	if !ok {
		if r.index == nil {
			r.index = map[string]int32{}
		}
		i = int32(len(r.srcs))
		r.srcs = append(r.srcs, code)
		r.index[code] = i
	}
	r.order = append(r.order, i)
}

// all returns the cells in the order they ran, in a new slice.
func (r *replayLog) all() []string {
	out := make([]string, len(r.order))
	for k, i := range r.order {
		out[k] = r.srcs[i]
	}
	return out
}
