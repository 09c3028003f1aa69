package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadConnectionFile(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
		shellEP string
	}{
		{name: "tcp", json: `{"shell_port":5001,"iopub_port":5002,"stdin_port":5003,"control_port":5004,"hb_port":5005,"ip":"127.0.0.1","key":"abc","transport":"tcp","signature_scheme":"hmac-sha256","kernel_name":"juggler"}`, shellEP: "tcp://127.0.0.1:5001"},
		{name: "ipv6", json: `{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"ip":"::1","key":""}`, shellEP: "tcp://[::1]:1"},
		{name: "ipc", json: `{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"ip":"/tmp/kernel-x","transport":"ipc"}`, shellEP: "ipc:///tmp/kernel-x-1"},
		{name: "bad json", json: `{`, wantErr: "parse"},
		{name: "bad transport", json: `{"transport":"udp","ip":"x","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, wantErr: "transport"},
		{name: "bad scheme", json: `{"ip":"x","key":"k","signature_scheme":"hmac-md5","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, wantErr: "signature_scheme"},
		{name: "missing port", json: `{"ip":"127.0.0.1","shell_port":1}`, wantErr: "iopub_port"},
		{name: "missing ip", json: `{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, wantErr: "ip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kernel.json")
			if err := os.WriteFile(path, []byte(tt.json), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := ReadConnectionFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Endpoint(c.ShellPort); got != tt.shellEP {
				t.Errorf("endpoint = %q, want %q", got, tt.shellEP)
			}
			if c.SignatureScheme != "hmac-sha256" || c.Transport == "" {
				t.Errorf("defaults not filled: %+v", c)
			}
		})
	}
	if _, err := ReadConnectionFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file: want error")
	}
}
