package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"

	"github.com/dsrbot/dsrbot/storage"
)

// Outbox keys. The outbox takes a key once, so a message's key must name
// exactly what the message announces: two runs that compute the same
// announcement (two processes at one instant, a run after a restart whose
// enqueue had committed) share the key and post once, and an announcement
// with any news in it gets a key of its own and is never swallowed, however
// close to another run it comes. A key built from the second a job ran in
// did neither: a second run in that second with real news (an order shipped
// after its warning) found the key taken and said nothing.
//
//	digest:SHOP:DAY                   the shop's digest of its local day (YYYY-MM-DD)
//	shipments:SHOP:HASH               lines "ORDER PREV>NEW SHIP_BY", one per order in the warning
//	remind:SHOP:REVIEW:OWNER:CYCLE    an owner's reminder of one overdue follow-up
//	followups:SHOP:HASH               lines "escalate REVIEW CYCLE" and "unassigned REVIEW CYCLE"
//	cluster:SHOP:PRODUCT:ASPECT:HASH  lines "REVIEW", one per review in the cluster
//	handover:SHOP:EVENT               not a job's: the chat's word to a follow-up's previous
//	                                  owner, keyed by the history event of the change
//
// HASH is the first 16 hex digits of the SHA-256 of the sorted lines, so
// the order in which a run read its rows does not change the key. PREV>NEW
// is the state an order was last warned about and the one it is in now
// (at_risk, late, resolved), and SHIP_BY its deadline in Unix seconds: an
// order that is late again after a correction, or under a new deadline, is
// news. CYCLE is the history event that began the follow-up's current cycle
// (storage.ReminderReport.Cycles): a reassigned or reopened follow-up is
// news again, a follow-up read twice is not.
//
// The digest keeps its day key: one digest per shop and day is the rule,
// whatever it holds.

// DigestKey is the outbox key of a shop's digest of a local day: one digest
// per shop per day, whoever enqueues it.
func DigestKey(shopID, day string) string { return storage.OutboxKey(KindDigest, shopID, day) }

// ShipmentsKey is the outbox key of a shipments warning: the orders it
// names, each with the change of state it announces.
func ShipmentsKey(r *storage.ShipmentReport) string {
	var lines []string
	for _, set := range []struct {
		orders []storage.Order
		state  string
	}{{r.AtRisk, string(storage.StateAtRisk)}, {r.Late, string(storage.StateLate)}, {r.Resolved, storage.Resolved}} {
		for _, o := range set.orders {
			lines = append(lines, fmt.Sprintf("%s %s>%s %d", o.OrderID, o.Warned, set.state, o.ShipBy.Unix()))
		}
	}
	return storage.OutboxKey(KindShipments, r.Shop.ID, contentHash(lines))
}

// ReminderKey is the outbox key of an owner's reminder of an overdue
// follow-up in its cycle.
func ReminderKey(r *storage.ReminderReport, rv *storage.Review) string {
	return storage.OutboxKey(KindReminder, r.Shop.ID, rv.ReviewID, rv.Owner, strconv.FormatInt(r.Cycle(rv), 10))
}

// FollowUpsKey is the outbox key of a channel's list of escalated and
// unassigned follow-ups: the reviews it names, each in its cycle.
func FollowUpsKey(r *storage.ReminderReport) string {
	var lines []string
	for _, set := range []struct {
		reviews []storage.Review
		what    string
	}{{r.Escalate, "escalate"}, {r.Unassigned, "unassigned"}} {
		for i := range set.reviews {
			rv := &set.reviews[i]
			lines = append(lines, fmt.Sprintf("%s %s %d", set.what, rv.ReviewID, r.Cycle(rv)))
		}
	}
	return storage.OutboxKey(KindFollowUps, r.Shop.ID, contentHash(lines))
}

// ClusterKey is the outbox key of a cluster alert: the cluster's product
// and aspect (the prefix the once-per-window rule looks for), and the
// reviews it names.
func ClusterKey(shopID string, c *storage.Cluster) string {
	lines := make([]string, len(c.Reviews))
	for i, rv := range c.Reviews {
		lines[i] = rv.ReviewID
	}
	return storage.ClusterKeyPrefix(shopID, c.Key) + contentHash(lines)
}

// contentHash names a set of lines: the first 16 hex digits of the SHA-256
// of the lines sorted, each ended by a newline. 64 bits keep the keys
// short; a shop's messages are far too few for two to collide.
func contentHash(lines []string) string {
	sorted := append([]string(nil), lines...)
	sort.Strings(sorted)
	h := sha256.New()
	for _, l := range sorted {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
