package kernel

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
)

// ConnectionInfo is the content of the connection file a Jupyter client
// writes before starting the kernel: where to bind and how to sign.
type ConnectionInfo struct {
	// Transport is "tcp" or "ipc".
	Transport string `json:"transport"`
	// IP is the address to bind for tcp, or a path prefix for ipc.
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	SignatureScheme string `json:"signature_scheme"`
	// Key signs messages; empty means messages are not signed.
	Key        string `json:"key"`
	KernelName string `json:"kernel_name"`
}

// ReadConnectionFile reads and checks a connection file.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("read connection file: %w", err)
	}
	var c ConnectionInfo
	if err := json.Unmarshal(data, &c); err != nil {
		return ConnectionInfo{}, fmt.Errorf("parse connection file %s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return c, nil
}

// validate fills defaults the way jupyter_client does (tcp, hmac-sha256)
// and rejects what the kernel cannot honour.
func (c *ConnectionInfo) validate() error {
	if c.Transport == "" {
		c.Transport = "tcp"
	}
	if c.Transport != "tcp" && c.Transport != "ipc" {
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", c.Transport)
	}
	if c.IP == "" {
		return fmt.Errorf("missing ip")
	}
	if c.SignatureScheme == "" {
		c.SignatureScheme = "hmac-sha256"
	}
	if c.Key != "" && c.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("unsupported signature_scheme %q (want hmac-sha256)", c.SignatureScheme)
	}
	for _, p := range []struct {
		name string
		port int
	}{
		{"shell_port", c.ShellPort}, {"iopub_port", c.IOPubPort},
		{"stdin_port", c.StdinPort}, {"control_port", c.ControlPort},
		{"hb_port", c.HBPort},
	} {
		if p.port <= 0 || (c.Transport == "tcp" && p.port > 65535) {
			return fmt.Errorf("bad %s %d", p.name, p.port)
		}
	}
	return nil
}

// Endpoint is the ZeroMQ address of one of the connection's ports:
// tcp://IP:PORT, or for ipc jupyter_client's naming, where ip is a path
// prefix and the socket file is IP-PORT.
func (c ConnectionInfo) Endpoint(port int) string {
	if c.Transport == "ipc" {
		return "ipc://" + c.IP + "-" + strconv.Itoa(port)
	}
	return "tcp://" + net.JoinHostPort(c.IP, strconv.Itoa(port))
}
