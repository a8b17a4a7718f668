package storage

import (
	"context"
	"database/sql"
	"fmt"

	cd "github.com/congdoanbot/congdoanbot"
)

// CreateCampaign validates and stores a campaign with its kinds and
// targets, setting its ID.
func (tx *Tx) CreateCampaign(c *cd.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = tx.now
	err := tx.tx.QueryRowContext(tx.ctx, `INSERT INTO campaigns (name, description, start_date, end_date, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, c.Name, c.Description, c.Start.String(), c.End.String(), nullInt(c.CreatedBy),
		fmtTime(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("insert campaign: %w", err)
	}
	for _, k := range c.Kinds {
		if _, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO campaign_kinds (campaign_id, kind) VALUES (?, ?)`, c.ID, k); err != nil {
			return fmt.Errorf("insert campaign kind %q: %w", k, err)
		}
	}
	for _, t := range c.Targets {
		if err := tx.SetCampaignTarget(c.ID, t); err != nil {
			return err
		}
	}
	return nil
}

// SetCampaignTarget sets (or replaces) one target of a campaign.
func (tx *Tx) SetCampaignTarget(campaignID int64, t cd.Target) error {
	_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO campaign_targets (campaign_id, unit_id, kind, target) VALUES (?, ?, ?, ?)
		ON CONFLICT (campaign_id, unit_id, kind) DO UPDATE SET target = excluded.target`, campaignID, t.UnitID, t.Kind, t.Value)
	if err != nil {
		return fmt.Errorf("set target of campaign %d: %w", campaignID, err)
	}
	return nil
}

// Campaigns lists campaigns, newest first; with a non-zero date only
// those running on that date.
func (tx *Tx) Campaigns(activeOn cd.Date) ([]cd.Campaign, error) {
	return listCampaigns(tx.ctx, tx.tx, activeOn, 0)
}

// CampaignByID returns a campaign, or ENOTFOUND.
func (tx *Tx) CampaignByID(id int64) (*cd.Campaign, error) {
	cs, err := listCampaigns(tx.ctx, tx.tx, cd.Date{}, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonCampaignName, "campaign %d", id)
	}
	return &cs[0], nil
}

// CampaignByID returns a campaign on a read snapshot, or ENOTFOUND.
func (db *DB) CampaignByID(ctx context.Context, id int64) (c *cd.Campaign, err error) {
	err = db.view(ctx, func(t *dbTx) error {
		cs, err := listCampaigns(ctx, t, cd.Date{}, id)
		if err == nil && len(cs) == 0 {
			err = cd.Errorf(cd.ENOTFOUND, cd.ReasonCampaignName, "campaign %d", id)
		}
		if err == nil {
			c = &cs[0]
		}
		return err
	})
	return c, err
}

func listCampaigns(ctx context.Context, q querier, activeOn cd.Date, id int64) ([]cd.Campaign, error) {
	day := ""
	if !activeOn.IsZero() {
		day = activeOn.String()
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name, description, start_date, end_date, COALESCE(created_by, 0), created_at
		FROM campaigns WHERE (? = '' OR ? BETWEEN start_date AND end_date) AND (? = 0 OR id = ?)
		ORDER BY start_date DESC, id`, day, day, id, id)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	var out []cd.Campaign
	for rows.Next() {
		var c cd.Campaign
		var start, end string
		var created sql.NullString
		if err := rows.Scan(&c.ID, &c.Name, &c.Description, &start, &end, &c.CreatedBy, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list campaigns: %w", err)
		}
		c.Start, _ = cd.ParseISODate(start)
		c.End, _ = cd.ParseISODate(end)
		c.CreatedAt = parseTime(created)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		c := &out[i]
		kinds, err := q.QueryContext(ctx, `SELECT ck.kind FROM campaign_kinds ck JOIN activity_kinds k ON k.code = ck.kind
			WHERE ck.campaign_id = ? ORDER BY k.position`, c.ID)
		if err != nil {
			return nil, fmt.Errorf("campaign %d kinds: %w", c.ID, err)
		}
		for kinds.Next() {
			var k string
			if err := kinds.Scan(&k); err != nil {
				kinds.Close()
				return nil, err
			}
			c.Kinds = append(c.Kinds, k)
		}
		kinds.Close()
		targets, err := q.QueryContext(ctx, `SELECT unit_id, kind, target FROM campaign_targets WHERE campaign_id = ?
			ORDER BY unit_id, kind`, c.ID)
		if err != nil {
			return nil, fmt.Errorf("campaign %d targets: %w", c.ID, err)
		}
		for targets.Next() {
			var t cd.Target
			if err := targets.Scan(&t.UnitID, &t.Kind, &t.Value); err != nil {
				targets.Close()
				return nil, err
			}
			c.Targets = append(c.Targets, t)
		}
		targets.Close()
	}
	return out, nil
}

func campaignTotals(ctx context.Context, q querier, campaignID int64) (map[int64]map[string]cd.KindTotal, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit_id, kind, COUNT(*), SUM(people), SUM(amount), SUM(quantity)
		FROM activities WHERE campaign_id = ? AND deleted_at IS NULL GROUP BY unit_id, kind`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("campaign %d totals: %w", campaignID, err)
	}
	return scanTotals(rows)
}

// CampaignTotals adds up the reports counted towards a campaign, per unit
// and kind.
func (tx *Tx) CampaignTotals(campaignID int64) (map[int64]map[string]cd.KindTotal, error) {
	return campaignTotals(tx.ctx, tx.tx, campaignID)
}

// CampaignTotals adds up the reports counted towards a campaign on a read
// snapshot.
func (db *DB) CampaignTotals(ctx context.Context, campaignID int64) (out map[int64]map[string]cd.KindTotal, err error) {
	err = db.view(ctx, func(t *dbTx) error {
		out, err = campaignTotals(ctx, t, campaignID)
		return err
	})
	return out, err
}
