package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/telegram/telegramtest"
)

// TestConnectErrors: getMe failures that may pass (500, a gateway's 502
// page, a dropped connection, 429) are inbox.ErrUnavailable, to be
// retried; a refused token is not.
func TestConnectErrors(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.Options{Token: testToken})
	cfg := Config{Token: testToken, APIEndpoint: srv.Endpoint(), HTTPTimeout: 5 * time.Second}
	for _, f := range []telegramtest.Fault{telegramtest.InternalError(), telegramtest.BadGateway(), telegramtest.DropConnection(),
		telegramtest.TooManyRequests(1)} {
		srv.FailNext("getMe", 1, f)
		_, err := NewContext(context.Background(), cfg, nil, nil, nil, nil)
		if !errors.Is(err, inbox.ErrUnavailable) || strings.Contains(err.Error(), tokenSecret) {
			t.Errorf("fault %v: %v, want ErrUnavailable", f.Kind, err)
		}
	}
	bad := cfg
	bad.Token = "424242:wrong-" + tokenSecret
	_, err := NewContext(context.Background(), bad, nil, nil, nil, nil)
	if err == nil || errors.Is(err, inbox.ErrUnavailable) || !strings.Contains(err.Error(), "check telegram.token") {
		t.Errorf("refused token: %v", err)
	}
	if _, err := NewContext(context.Background(), cfg, nil, nil, nil, nil); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}
