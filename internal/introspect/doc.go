// Package introspect answers the editor-side questions a notebook front end
// asks about a Go cell: what can complete the word before the cursor
// (complete_request), what is the identifier under the cursor
// (inspect_request, Shift-Tab) and whether the text typed so far can run yet
// (is_complete_request, used by consoles to decide between running and a
// continuation prompt).
//
// Everything here is a pure function of text. It does not ask the
// interpreter, so it never blocks behind a running cell and never perturbs
// the session. What the session has defined is reconstructed from the source
// of the cells that ran successfully (Scope), which is also why parsing is
// lenient: a notebook cell mixes declarations and statements in any order,
// may carry %magic lines, and is often half-typed when these requests come.
//
// Cursor positions follow the Jupyter protocol (5.2 and later): they count
// Unicode code points, not bytes. All functions convert at the boundary and
// work on byte offsets inside.
package introspect
