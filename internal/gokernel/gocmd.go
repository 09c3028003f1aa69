package gokernel

import (
	"context"
	"fmt"
	"strings"

	"github.com/juggler-kernel/juggler/kernel"
)

// goUsage is the usage line of the %go magic.
const goUsage = "usage: %go get module@version ... | %go list -m [all | module ...]"

// goCommand runs %go get and %go list in the session's module directory,
// which the worker resolves imports in: a version %go get pins is the one
// later imports use, also after a worker restart, since the directory
// belongs to the kernel process.
func (h *Handler) goCommand(ctx context.Context, args []string, out kernel.Output) error {
	if h.mods == nil {
		return fmt.Errorf("%%go: no module directory for this session")
	}
	if len(args) == 0 {
		return fmt.Errorf("%%go: %s", goUsage)
	}
	switch args[0] {
	case "get":
		if len(args) == 1 {
			return fmt.Errorf("%%go get: name a module, e.g. %%go get golang.org/x/sync@v0.10.0")
		}
		var msgs strings.Builder
		if err := h.mods.Get(ctx, &msgs, args[1:]...); err != nil {
			return fmt.Errorf("%%go get: %w", err)
		}
		if msgs.Len() > 0 {
			out.Stream("stderr", msgs.String())
		}
		out.Stream("stderr", "note: imports after this use these versions; a package already imported keeps its version until the kernel restarts\n")
		return nil
	case "list":
		rest := args[1:]
		if len(rest) == 1 && rest[0] == "-m" {
			// The session's main module alone says nothing: what it
			// uses is what the user asks for.
			rest = []string{"-m", "all"}
		}
		b, err := h.mods.List(ctx, rest...)
		if err != nil {
			return fmt.Errorf("%%go list: %w", err)
		}
		out.Stream("stdout", string(b))
		return nil
	}
	return fmt.Errorf("%%go %s: not supported here; %s", args[0], goUsage)
}
