package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxPrepared bounds the statements a preparedPool keeps; queries past it
// run unprepared. The store's queries are a fixed set of texts (values
// always travel as arguments), so the bound is never reached in practice.
const maxPrepared = 256

// preparedPool is a querier on the read pool that prepares each query text
// once and reuses the statement (database/sql prepares it again on each
// connection as needed), so a hot read such as the object by NORAD does not
// parse its SQL on every call.
type preparedPool struct {
	db *sql.DB

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newPreparedPool(db *sql.DB) *preparedPool {
	return &preparedPool{db: db, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement for query, or nil when it cannot be
// kept (the cache is full or preparing failed: the caller then runs the
// query unprepared and sees its error there).
func (p *preparedPool) stmt(ctx context.Context, query string) *sql.Stmt {
	p.mu.RLock()
	s, ok := p.stmts[query]
	p.mu.RUnlock()
	if ok {
		return s
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.stmts[query]; ok {
		return s
	}
	if len(p.stmts) >= maxPrepared {
		return nil
	}
	s, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	p.stmts[query] = s
	return s
}

func (p *preparedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, query, args...)
}

func (p *preparedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p *preparedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

// close closes every kept statement.
func (p *preparedPool) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for q, s := range p.stmts {
		errs = append(errs, s.Close())
		delete(p.stmts, q)
	}
	return errors.Join(errs...)
}
