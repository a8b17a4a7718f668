package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

const unitColumns = `u.id, COALESCE(u.parent_id, 0), u.kind, u.name, u.code, u.created_at`

func scanUnit(sc interface{ Scan(...any) error }, extra ...any) (*cd.Unit, error) {
	var u cd.Unit
	var created sql.NullString
	dest := append([]any{&u.ID, &u.ParentID, &u.Kind, &u.Name, &u.Code, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	u.CreatedAt = parseTime(created)
	return &u, nil
}

// CreateUnit validates and stores a new unit, setting its ID.
func (tx *Tx) CreateUnit(u *cd.Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ParentID != 0 {
		parent, err := unitByID(tx.ctx, tx.tx, u.ParentID)
		if err != nil {
			return err
		}
		if u.Kind == cd.UnitGrassroots && parent.Kind != cd.UnitProvince ||
			u.Kind == cd.UnitSub && parent.Kind != cd.UnitGrassroots {
			return cd.Errorf(cd.EINVALID, cd.ReasonUnitParent, "a %s unit cannot sit under a %s unit", u.Kind, parent.Kind)
		}
	} else {
		var n int
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM units WHERE kind = 'province'`).Scan(&n); err != nil {
			return fmt.Errorf("count province units: %w", err)
		}
		if n > 0 {
			return cd.Errorf(cd.ECONFLICT, cd.ReasonUnitParent, "the province unit exists already")
		}
	}
	if _, err := unitByCode(tx.ctx, tx.tx, u.Code); err == nil {
		return cd.Errorf(cd.ECONFLICT, cd.ReasonUnitCodeTaken, "code %s", u.Code)
	}
	u.CreatedAt = tx.now
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO units (parent_id, kind, name, code, created_at) VALUES (?, ?, ?, ?, ?)
		RETURNING id`, nullInt(u.ParentID), u.Kind, u.Name, u.Code, fmtTime(u.CreatedAt)).Scan(&u.ID)
	if err != nil {
		return fmt.Errorf("insert unit %s: %w", u.Code, err)
	}
	return nil
}

// UnitByID returns a unit, or an ENOTFOUND error.
func (tx *Tx) UnitByID(id int64) (*cd.Unit, error) { return unitByID(tx.ctx, tx.tx, id) }

// UnitByCode returns the unit with a join code (normalised first), or an
// ENOTFOUND error.
func (tx *Tx) UnitByCode(code string) (*cd.Unit, error) {
	return unitByCode(tx.ctx, tx.tx, cd.NormalizeCode(code))
}

// ProvinceUnit returns the root of the tree, or an ENOTFOUND error.
func (tx *Tx) ProvinceUnit() (*cd.Unit, error) {
	u, err := scanUnit(tx.tx.QueryRowContext(tx.ctx, `SELECT `+unitColumns+` FROM units u WHERE u.kind = 'province'`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonUnitNotFound, "no province unit")
	}
	return u, err
}

func unitByID(ctx context.Context, q querier, id int64) (*cd.Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonUnitNotFound, "unit %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("unit %d: %w", id, err)
	}
	return u, nil
}

func unitByCode(ctx context.Context, q querier, code string) (*cd.Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonUnitNotFound, "unit code %q", code)
	}
	if err != nil {
		return nil, fmt.Errorf("unit %q: %w", code, err)
	}
	return u, nil
}

// Units lists units in tree order (province, then each CĐCS by name
// followed by its sub-units), with their member counts.
func (tx *Tx) Units(f cd.UnitFilter) ([]cd.Unit, error) { return listUnits(tx.ctx, tx.tx, f) }

// Units lists units as Tx.Units does, on a read snapshot.
func (db *DB) Units(ctx context.Context, f cd.UnitFilter) (units []cd.Unit, err error) {
	err = db.view(ctx, func(t *dbTx) error {
		units, err = listUnits(ctx, t, f)
		return err
	})
	return units, err
}

func listUnits(ctx context.Context, q querier, f cd.UnitFilter) ([]cd.Unit, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT `+unitColumns+`,
			(SELECT COUNT(*) FROM members m WHERE m.unit_id = u.id AND m.status = 'active'),
			(SELECT COUNT(*) FROM members m WHERE m.unit_id = u.id AND m.status = 'pending'),
			COALESCE(p.name, '')
		FROM units u
		LEFT JOIN units p ON p.id = u.parent_id
		WHERE (? = '' OR u.kind = ?)`, f.Kind, f.Kind)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	defer rows.Close()
	words := strings.Fields(cd.Fold(f.Search))
	var out []cd.Unit
	parent := map[int64]string{}
	for rows.Next() {
		var active, pending int
		var parentName string
		u, err := scanUnit(rows, &active, &pending, &parentName)
		if err != nil {
			return nil, fmt.Errorf("list units: %w", err)
		}
		u.ActiveMembers, u.PendingMembers = active, pending
		if !matchesAll(cd.Fold(u.Name)+" "+strings.ToLower(u.Code), words) {
			continue
		}
		parent[u.ID] = parentName
		out = append(out, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	// Tree order in Vietnamese alphabetical order: the province, then each
	// grassroots union followed by its sub-units.
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if (a.Kind == cd.UnitProvince) != (b.Kind == cd.UnitProvince) {
			return a.Kind == cd.UnitProvince
		}
		ka, kb := a.Name, b.Name
		if a.Kind == cd.UnitSub {
			ka = parent[a.ID]
		}
		if b.Kind == cd.UnitSub {
			kb = parent[b.ID]
		}
		if c := cd.CompareVietnamese(ka, kb); c != 0 {
			return c < 0
		}
		if (a.Kind == cd.UnitSub) != (b.Kind == cd.UnitSub) {
			return b.Kind == cd.UnitSub
		}
		return cd.CompareVietnamese(a.Name, b.Name) < 0
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// matchesAll reports whether every word occurs in folded.
func matchesAll(folded string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(folded, w) {
			return false
		}
	}
	return true
}
