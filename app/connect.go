package app

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	assync "github.com/astroshield/astroshield/sync"
)

// Connect methods of the connect dialog.
const (
	ConnectPassword = "Username and password"
	ConnectAPIKey   = "API key"
)

// ConnectRequest is what the connect dialog asks for.
type ConnectRequest struct {
	URL      string
	Method   string // ConnectPassword or ConnectAPIKey
	Username string
	Password assync.Secret
	APIKey   assync.Secret
	Remember bool // store the refresh token (never the password or key)
}

// Validate checks the request before anything is sent.
func (r ConnectRequest) Validate() error {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("server URL %q: want http(s)://host[:port]", r.URL)
	}
	switch r.Method {
	case ConnectPassword:
		if strings.TrimSpace(r.Username) == "" || r.Password.IsZero() {
			return errors.New("enter a username and a password")
		}
	case ConnectAPIKey:
		if r.APIKey.IsZero() {
			return errors.New("enter an API key")
		}
	default:
		return fmt.Errorf("unknown connect method %q", r.Method)
	}
	return nil
}

// ConnectForm is the connect dialog's content: server URL, username and
// password or an API key, and "remember me".
type ConnectForm struct {
	URL, Username, Password, APIKey *widget.Entry
	Method                          *widget.RadioGroup
	Remember                        *widget.Check
	Form                            *widget.Form
}

// NewConnectForm pre-fills the URL and username (from the preferences).
func NewConnectForm(serverURL, username string) *ConnectForm {
	f := &ConnectForm{URL: widget.NewEntry(), Username: widget.NewEntry(), Password: widget.NewPasswordEntry(), APIKey: widget.NewPasswordEntry()}
	f.URL.SetText(serverURL)
	f.URL.SetPlaceHolder("http://127.0.0.1:8080")
	f.Username.SetText(username)
	f.APIKey.SetPlaceHolder("X-API-Key value")
	f.Remember = widget.NewCheck("Remember me (stores only the refresh token, mode 0600)", nil)
	f.Remember.SetChecked(true)
	f.Method = widget.NewRadioGroup([]string{ConnectPassword, ConnectAPIKey}, func(m string) {
		if m == ConnectAPIKey {
			f.Username.Disable()
			f.Password.Disable()
			f.APIKey.Enable()
			f.Remember.Disable()
		} else {
			f.Username.Enable()
			f.Password.Enable()
			f.APIKey.Disable()
			f.Remember.Enable()
		}
	})
	f.Method.Horizontal = true
	f.Method.SetSelected(ConnectPassword)
	f.Form = widget.NewForm(
		widget.NewFormItem("Server", f.URL),
		widget.NewFormItem("Sign in with", f.Method),
		widget.NewFormItem("Username", f.Username),
		widget.NewFormItem("Password", f.Password),
		widget.NewFormItem("API key", f.APIKey),
		widget.NewFormItem("", f.Remember),
	)
	return f
}

// Request reads the form.
func (f *ConnectForm) Request() ConnectRequest {
	return ConnectRequest{URL: strings.TrimSpace(f.URL.Text), Method: f.Method.Selected, Username: strings.TrimSpace(f.Username.Text),
		Password: assync.NewSecret(f.Password.Text), APIKey: assync.NewSecret(strings.TrimSpace(f.APIKey.Text)),
		Remember: f.Remember.Checked && f.Method.Selected == ConnectPassword}
}

// ShowConnectDialog opens the connect dialog on w; submit runs with the
// validated request when the user presses Connect (on Fyne's goroutine: it
// should connect in the background).
func ShowConnectDialog(w fyne.Window, serverURL, username string, submit func(ConnectRequest)) *ConnectForm {
	f := NewConnectForm(serverURL, username)
	d := dialog.NewCustomConfirm("Connect to a server", "Connect", "Cancel", f.Form, func(ok bool) {
		if !ok {
			return
		}
		req := f.Request()
		if err := req.Validate(); err != nil {
			dialog.ShowError(err, w)
			return
		}
		submit(req)
	}, w)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	return f
}
