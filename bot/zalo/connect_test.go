package zalo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/congdoanbot/congdoanbot/bot/inbox"
	"github.com/congdoanbot/congdoanbot/bot/zalo/zalotest"
)

// TestConnectErrors: getMe failures that may pass (5xx, Zalo's 403
// internal error, 429, a dropped connection) are inbox.ErrUnavailable, to
// be retried; a refused token is not.
func TestConnectErrors(t *testing.T) {
	srv := zalotest.NewServer(t, zalotest.Options{})
	cfg := Config{Token: srv.Token(), APIEndpoint: srv.Endpoint()}
	for _, f := range []zalotest.Fault{zalotest.ServerError, zalotest.BadGateway, zalotest.GatewayTimeout, zalotest.InternalError,
		zalotest.TooManyRequests, zalotest.DropConnection} {
		srv.FailNext("getMe", 1, f)
		_, err := NewContext(context.Background(), cfg, nil, nil, nil, nil, nil)
		if !errors.Is(err, inbox.ErrUnavailable) {
			t.Errorf("fault %v: %v, want ErrUnavailable", f, err)
		}
	}
	srv.FailNext("getMe", 1, zalotest.Unauthorized)
	_, err := NewContext(context.Background(), cfg, nil, nil, nil, nil, nil)
	if err == nil || errors.Is(err, inbox.ErrUnavailable) || !strings.Contains(err.Error(), "check zalo.token") {
		t.Errorf("refused token: %v", err)
	}
	if _, err := NewContext(context.Background(), cfg, nil, nil, nil, nil, nil); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}
