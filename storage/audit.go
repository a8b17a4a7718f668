package storage

import (
	"context"
	"database/sql"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// Audit appends an entry to the audit log. The time is the transaction's.
func (tx *Tx) Audit(e cd.AuditEntry) error {
	_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO audit_log (at, actor_id, actor_key, action, target_member, target_unit, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, fmtTime(tx.now), nullInt(e.ActorID), e.ActorKey, e.Action,
		nullInt(e.TargetMember), nullInt(e.TargetUnit), e.Detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the newest audit entries first, at most limit of them.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]cd.AuditEntry, error) {
	var out []cd.AuditEntry
	err := db.view(ctx, func(t *dbTx) error {
		rows, err := t.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor_key, action,
			COALESCE(target_member, 0), COALESCE(target_unit, 0), detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
		if err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e cd.AuditEntry
			var at sql.NullString
			if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorKey, &e.Action, &e.TargetMember, &e.TargetUnit, &e.Detail); err != nil {
				return fmt.Errorf("read audit log: %w", err)
			}
			e.At = parseTime(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}
