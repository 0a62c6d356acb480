package storage

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Platform is the marketplace a shop sells on; it decides which scores mean
// what (Douyin 商家体验分 or Taobao DSR).
type Platform string

// The platforms dsrbot knows.
const (
	Douyin Platform = "douyin"
	Taobao Platform = "taobao"
)

// Languages a shop's messages can be written in.
const (
	LangEnglish = "en"
	LangChinese = "zh"
)

// DefaultDigestCron is the morning digest schedule of a new shop, in its zone.
const DefaultDigestCron = "0 9 * * *"

// Shop is one storefront a team runs. Agencies run dozens, so every other
// record hangs off a shop ID the team chose (such as "dy-fashion").
type Shop struct {
	ID       string
	Name     string
	Platform Platform
	// Channel is the Slack channel bound to the shop: it gets the digest and
	// warnings, and `/dsr today` there means this shop.
	Channel string
	// TZ is an IANA zone name; local days and hours of every rule use it.
	TZ   string
	Lang string
	// Weights of 商品 / 物流 / 服务 in the Douyin score, in percent. They
	// differ by industry, so they are set per shop (default 50 / 15 / 35).
	WeightProduct   int
	WeightLogistics int
	WeightService   int
	DigestCron      string
	// WarnHours is how long before its ship-by time an unshipped order is
	// at risk (default 6).
	WarnHours int
	// FollowUpHours is how long after a bad review arrives its follow-up
	// is due (default 24).
	FollowUpHours int `gorm:"column:followup_hours"`
	// Gates are the shop's own named thresholds in ParseGates form
	// ("精选联盟=70,千川投放=60"); empty means DefaultGates. They vary by
	// category, so each shop may set its own.
	Gates string
	// TeamID is the Slack workspace that owns the shop: only requests from
	// it see or change the shop. An admin sets it on the bot's machine
	// (dsrbot shop add/set --team); Slack never sets it, because the first
	// workspace to bind a shop is not necessarily the one it belongs to.
	// Empty: no workspace yet, so only the operator's CLI and shell use it.
	TeamID    string
	CreatedAt time.Time
}

// FollowUpDeadline is how long a bad review of the shop may wait.
func (s *Shop) FollowUpDeadline() time.Duration {
	if s.FollowUpHours <= 0 {
		return FollowUpDeadline
	}
	return time.Duration(s.FollowUpHours) * time.Hour
}

// WarnWindow is the shop's at-risk window.
func (s *Shop) WarnWindow() time.Duration {
	if s.WarnHours <= 0 {
		return AtRiskWindow
	}
	return time.Duration(s.WarnHours) * time.Hour
}

var shopIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// Location returns the shop's time zone. Zones are checked when a shop is
// saved, so a failure here means a zone vanished from the system's tzdata;
// UTC is the least surprising fallback.
func (s *Shop) Location() *time.Location {
	loc, err := loadLocation(s.TZ)
	if err != nil {
		return time.UTC
	}
	return loc
}

var locations sync.Map // zone name -> *time.Location

// loadLocation is time.LoadLocation with a cache: LoadLocation reads tzdata
// from disk on every call, and reports are built per request.
func loadLocation(name string) (*time.Location, error) {
	if v, ok := locations.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

// Validate reports the first problem with a shop as an EINVALID error.
func (s *Shop) Validate() error {
	switch {
	case !shopIDPattern.MatchString(s.ID):
		return Errorf(EINVALID, "shop ID %q: use 1-64 letters, digits, '-', '_' or '.'", s.ID)
	case strings.TrimSpace(s.Name) == "":
		return Errorf(EINVALID, "shop %s: a name is required", s.ID)
	case s.Platform != Douyin && s.Platform != Taobao:
		return Errorf(EINVALID, "shop %s: platform must be douyin or taobao, not %q", s.ID, s.Platform)
	case s.Lang != LangEnglish && s.Lang != LangChinese:
		return Errorf(EINVALID, "shop %s: language must be en or zh, not %q", s.ID, s.Lang)
	case s.WeightProduct < 0 || s.WeightLogistics < 0 || s.WeightService < 0 ||
		s.WeightProduct+s.WeightLogistics+s.WeightService != 100:
		return Errorf(EINVALID, "shop %s: weights must be non-negative and add up to 100", s.ID)
	case s.FollowUpHours < 1 || s.FollowUpHours > 240:
		return Errorf(EINVALID, "shop %s: the follow-up deadline must be 1 to 240 hours, not %d", s.ID, s.FollowUpHours)
	case s.WarnHours < 1 || s.WarnHours > 72:
		return Errorf(EINVALID, "shop %s: the warning window must be 1 to 72 hours, not %d", s.ID, s.WarnHours)
	}
	if s.TeamID != "" && !ValidTeamID(s.TeamID) {
		return Errorf(EINVALID, "shop %s: %q is not a Slack team ID (a T and capital letters or digits, such as T024BE7LD)", s.ID, s.TeamID)
	}
	if _, err := loadLocation(s.TZ); err != nil || s.TZ == "" {
		return Errorf(EINVALID, "shop %s: unknown time zone %q (use an IANA name such as Asia/Shanghai)", s.ID, s.TZ)
	}
	if _, err := ParseGates(s.Gates); err != nil {
		return Errorf(EINVALID, "shop %s: %s", s.ID, ErrorMessage(err))
	}
	if _, err := ParseSchedule(s.DigestCron); err != nil {
		return Errorf(EINVALID, "shop %s: %s", s.ID, ErrorMessage(err))
	}
	return nil
}

// withDefaults fills the fields a new shop may leave empty.
func (s Shop) withDefaults(defaultTZ string) Shop {
	if s.TZ == "" {
		s.TZ = defaultTZ
	}
	if s.Lang == "" {
		s.Lang = LangEnglish
	}
	if s.WeightProduct == 0 && s.WeightLogistics == 0 && s.WeightService == 0 {
		s.WeightProduct, s.WeightLogistics, s.WeightService = 50, 15, 35
	}
	if s.DigestCron == "" {
		s.DigestCron = DefaultDigestCron
	}
	if s.WarnHours == 0 {
		s.WarnHours = int(AtRiskWindow.Hours())
	}
	if s.FollowUpHours == 0 {
		s.FollowUpHours = int(FollowUpDeadline.Hours())
	}
	return s
}

// normaliseGates stores gates in one form, lowest first, and the defaults
// as empty, so a shop that sets the defaults follows them if they change.
func (s *Shop) normaliseGates() {
	gates, err := ParseGates(s.Gates)
	if err != nil {
		return // Validate says why
	}
	s.Gates = FormatGates(gates)
	if s.Gates == FormatGates(DefaultGates) {
		s.Gates = ""
	}
}

// CreateShop adds a shop, filling defaults (zone defaultTZ, English, weights
// 50/15/35, digest at 09:00). A shop ID already taken is ECONFLICT.
func (db *DB) CreateShop(ctx context.Context, s Shop, defaultTZ string, now time.Time) (*Shop, error) {
	s = s.withDefaults(defaultTZ)
	s.CreatedAt = utc(now)
	s.normaliseGates()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if _, err := db.FindShop(ctx, s.ID); err == nil {
		return nil, Errorf(ECONFLICT, "shop %s already exists", s.ID)
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	if err := db.gdb.WithContext(ctx).Create(&s).Error; err != nil {
		return nil, err
	}
	return &s, nil
}

// FindShop returns the shop with the given ID, or ENOTFOUND.
func (db *DB) FindShop(ctx context.Context, id string) (*Shop, error) {
	var s Shop
	err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENOTFOUND, "no shop %q", id)
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// ShopForChannel returns the shop bound to a Slack channel, or ENOTFOUND.
func (db *DB) ShopForChannel(ctx context.Context, channel string) (*Shop, error) {
	if channel == "" {
		return nil, Errorf(ENOTFOUND, "no shop is bound to this channel")
	}
	var s Shop
	err := db.gdb.WithContext(ctx).Where("channel = ?", channel).Order("id").Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(ENOTFOUND, "no shop is bound to this channel")
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// ListShops returns every shop, ordered by ID.
func (db *DB) ListShops(ctx context.Context) ([]Shop, error) {
	var shops []Shop
	if err := db.gdb.WithContext(ctx).Order("id").Find(&shops).Error; err != nil {
		return nil, err
	}
	return shops, nil
}

// BindChannel makes channel the shop's channel. A channel speaks for one shop,
// so any other shop bound to it is unbound in the same transaction.
//
// Without a scope it is the operator's act (the CLI, the tests). With one,
// it is a Slack workspace's: the scope must own the shop (Scope.Allows;
// EUNAUTHORIZED otherwise, and an unowned shop is never claimed by being
// bound), and a channel that speaks for a shop the workspace does not own
// (another workspace's, in a channel shared between two, or an unowned
// one the operator bound) is not taken from it (ECONFLICT). The checks
// and the change are one transaction, so an admin's `shop set --team`
// cannot slip in between.
func (db *DB) BindChannel(ctx context.Context, shopID, channel string, scope ...Scope) (*Shop, error) {
	sc := AllShops
	if len(scope) > 0 {
		sc = scope[0]
	}
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var s Shop
		err := tx.Where("id = ?", shopID).Take(&s).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Errorf(ENOTFOUND, "no shop %q", shopID)
		}
		if err != nil {
			return err
		}
		if err := sc.Allows(&s); err != nil {
			return err
		}
		if !sc.All {
			var taken int64
			if err := tx.Model(&Shop{}).Where("channel = ? AND id <> ? AND team_id <> ?", channel, shopID, sc.Team).Count(&taken).Error; err != nil {
				return err
			}
			if taken > 0 {
				return Errorf(ECONFLICT, "channel %s speaks for a shop this Slack workspace does not own", channel)
			}
		}
		if err := tx.Model(&Shop{}).Where("channel = ? AND id <> ?", channel, shopID).Update("channel", "").Error; err != nil {
			return err
		}
		return tx.Model(&Shop{}).Where("id = ?", shopID).Update("channel", channel).Error
	})
	if err != nil {
		return nil, err
	}
	return db.FindShop(ctx, shopID)
}

// UpdateShop changes a shop's settings with change, checks the result and
// saves it; the ID and creation time stay as they are.
func (db *DB) UpdateShop(ctx context.Context, id string, change func(*Shop)) (*Shop, error) {
	s, err := db.FindShop(ctx, id)
	if err != nil {
		return nil, err
	}
	change(s)
	s.ID = id
	s.normaliseGates()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	err = db.gdb.WithContext(ctx).Model(&Shop{}).Where("id = ?", id).Updates(map[string]any{
		"name": s.Name, "channel": s.Channel, "tz": s.TZ, "lang": s.Lang,
		"weight_product": s.WeightProduct, "weight_logistics": s.WeightLogistics, "weight_service": s.WeightService,
		"warn_hours": s.WarnHours, "followup_hours": s.FollowUpHours, "gates": s.Gates, "team_id": s.TeamID,
	}).Error
	if err != nil {
		return nil, err
	}
	return s, nil
}
