//go:build unix

package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// credential is the user the cluster runs as; nil runs it as this process.
type credential struct{ uid, gid uint32 }

// runAs picks the user to run PostgreSQL as: this process unless it is
// root, then "postgres" or "nobody".
func runAs() (*credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 == nil && err2 == nil {
			return &credential{uid: uint32(uid), gid: uint32(gid)}, nil
		}
	}
	return nil, fmt.Errorf("neither a postgres nor a nobody user exists to run initdb as")
}

func (c *credential) chown(dir string) error {
	if c == nil {
		return nil
	}
	if err := os.Chown(dir, int(c.uid), int(c.gid)); err != nil {
		return fmt.Errorf("chown %s for the cluster's user: %w", dir, err)
	}
	return nil
}

func (c *credential) apply(cmd *exec.Cmd) {
	if c == nil {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: c.uid, Gid: c.gid, NoSetGroups: true}}
}
