package storage

import (
	"context"
	"regexp"
)

// teamIDPattern is the shape of a Slack workspace ID (T024BE7LD): a T and
// capital letters or digits. Checked where an admin types one, so a typo
// or a workspace's name given instead fails at once rather than leaving the
// shop owned by a workspace that never sends a request.
var teamIDPattern = regexp.MustCompile(`^T[A-Z0-9]{1,31}$`)

// ValidTeamID reports whether id looks like a Slack workspace ID.
func ValidTeamID(id string) bool { return teamIDPattern.MatchString(id) }

// SlackUserID is the shape of a Slack user ID (U… or, in Enterprise Grid,
// W…) inside a regular expression: the one pattern the grammar finds
// mentions with (<@U…>) and IsSlackUserID tests owners with.
const SlackUserID = `[UW][A-Z0-9]+`

var userIDPattern = regexp.MustCompile(`^` + SlackUserID + `$`)

// IsSlackUserID reports whether an owner is a Slack user (mentioned, sent
// direct messages) rather than a name typed in the local shell. It is the
// one test of that shape, so the renderer and the reminders job agree on
// who is a Slack user. Real IDs are about ten characters; the bound (6 to
// 21) keeps a short or long word typed as a name from passing for one.
func IsSlackUserID(s string) bool {
	return len(s) >= 6 && len(s) <= 21 && userIDPattern.MatchString(s)
}

// Scope is who is asking, for the queries that must not show one Slack
// workspace the shops of another: the operator on the bot's own machine
// (the CLI and the local shell) sees every shop; a request from Slack sees
// only the shops of its workspace.
//
// The zero Scope sees nothing and may change nothing: a Slack request whose
// payload named no workspace must never be mistaken for the operator, so
// trust is something a caller states (AllShops), never a default.
type Scope struct {
	// Team is the Slack workspace a request came from.
	Team string
	// All is the operator's scope: every shop, owned or not.
	All bool
}

// AllShops is the operator's scope: the CLI and the local shell.
var AllShops = Scope{All: true}

// TeamScope is the scope of a request from Slack workspace team; an empty
// team sees nothing.
func TeamScope(team string) Scope { return Scope{Team: team} }

// Allows reports whether the scope may read and change shop: the operator
// always, a workspace only a shop it owns. A shop without a workspace
// belongs to none until an admin gives it one (dsrbot shop set ID --team),
// so that no workspace claims a shop by being the first to bind it.
// Refusals are EUNAUTHORIZED; the caller tells the three cases apart by the
// scope's team and the shop's to pick its sentence.
func (sc Scope) Allows(shop *Shop) error {
	switch {
	case sc.All:
		return nil
	case sc.Team == "":
		return Errorf(EUNAUTHORIZED, "the request names no Slack workspace")
	case shop.TeamID == "":
		return Errorf(EUNAUTHORIZED, "shop %s belongs to no Slack workspace yet", shop.ID)
	case shop.TeamID != sc.Team:
		return Errorf(EUNAUTHORIZED, "shop %s belongs to another Slack workspace", shop.ID)
	}
	return nil
}

// where narrows a query on a table with a shop_id column to the scope's
// shops; a scope with neither team nor All matches no row.
func (sc Scope) where(column string) (string, []any) {
	switch {
	case sc.All:
		return "1 = 1", nil
	case sc.Team == "":
		return "1 = 0", nil
	}
	return column + " IN (SELECT id FROM shops WHERE team_id = ?)", []any{sc.Team}
}

// ListShopsIn returns the shops the scope may see, ordered by ID.
func (db *DB) ListShopsIn(ctx context.Context, sc Scope) ([]Shop, error) {
	q := db.gdb.WithContext(ctx)
	switch {
	case sc.All:
	case sc.Team == "":
		return nil, nil
	default:
		q = q.Where("team_id = ?", sc.Team)
	}
	var shops []Shop
	if err := q.Order("id").Find(&shops).Error; err != nil {
		return nil, err
	}
	return shops, nil
}
