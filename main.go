// Command juggler is a Jupyter kernel for Go that shows people their
// goroutines.
//
//	juggler install [--user|--sys-prefix|--prefix DIR]   install the kernelspec
//	juggler uninstall [--user|--sys-prefix|--prefix DIR] remove it
//	juggler kernel CONNECTION_FILE                       run the kernel (Jupyter does this)
//	juggler version                                      print the version
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"syscall"

	"github.com/juggler-kernel/juggler/internal/gokernel"
	"github.com/juggler-kernel/juggler/internal/install"
	"github.com/juggler-kernel/juggler/internal/worker"
	"github.com/juggler-kernel/juggler/kernel"
)

const usage = `usage:
  juggler install [--user|--sys-prefix|--prefix DIR]    install the Jupyter kernelspec "juggler"
  juggler uninstall [--user|--sys-prefix|--prefix DIR]  remove it
  juggler kernel CONNECTION_FILE                        run the kernel (Jupyter starts this)
  juggler version                                       print the version
`

func main() {
	log.SetFlags(0)
	log.SetPrefix("juggler: ")
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "kernel":
		err = runKernel(args)
	case "worker":
		// Programs that cells start must not inherit the protocol pipes.
		syscall.CloseOnExec(3)
		syscall.CloseOnExec(4)
		// Cells see the command line of a program run with no
		// arguments, in os.Args and through flag.Parse.
		os.Args = os.Args[:1]
		err = worker.Serve(worker.Options{
			Requests: os.NewFile(3, "requests"),
			Events:   os.NewFile(4, "events"),
			Stdout:   os.Stdout,
			Stderr:   os.Stderr,
		})
	case "install", "uninstall":
		err = runInstall(cmd, args)
	case "version", "--version":
		fmt.Println("juggler", gokernel.Version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "juggler: unknown command %q\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func runKernel(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("kernel: want one connection file argument, got %d", len(args))
	}
	conn, err := kernel.ReadConnectionFile(args[0])
	if err != nil {
		return err
	}
	logger := log.New(os.Stderr, "juggler: ", log.LstdFlags)
	h := gokernel.New(gokernel.Options{Log: logger})
	path, err := historyPath()
	if err != nil {
		logger.Printf("history kept in memory only: %v", err)
	}
	opts := kernel.Options{Log: logger, HistoryPath: path}
	return kernel.Run(context.Background(), conn, h, opts)
}

// historyPath keeps history in Jupyter's data directory, where users keep
// what lasts (IPython's is profile_default/history.sqlite in its own):
// DATA/juggler/history.jsonl.
func historyPath() (string, error) {
	dir, err := install.DataDir(install.Options{})
	if err != nil {
		return "", err
	}
	dir = filepath.Join(dir, "juggler")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	return filepath.Join(dir, "history.jsonl"), nil
}

func runInstall(cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var o install.Options
	fs.BoolVar(&o.User, "user", false, "install for the current user (the default)")
	fs.BoolVar(&o.SysPrefix, "sys-prefix", false, "install into Python's sys.prefix")
	fs.StringVar(&o.Prefix, "prefix", "", "install into `DIR`/share/jupyter/kernels")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cmd == "uninstall" {
		dir, err := install.Uninstall(o)
		if err != nil {
			return err
		}
		fmt.Println("removed", dir)
		return nil
	}
	dir, err := install.Install(o)
	if err != nil {
		return err
	}
	fmt.Printf("installed kernelspec juggler in %s\n", dir)
	return nil
}
