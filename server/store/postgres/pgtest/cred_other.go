//go:build !unix

package pgtest

import "os/exec"

type credential struct{}

func runAs() (*credential, error)         { return nil, nil }
func (c *credential) chown(string) error  { return nil }
func (c *credential) apply(cmd *exec.Cmd) {}
