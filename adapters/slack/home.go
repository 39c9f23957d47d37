package slack

import (
	"context"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// publishHome shows a person's App Home tab: a button to make a profile,
// then the core's overview of their profiles and followed tenders.
func (s *Slack) publishHome(ctx context.Context, core Core, user bot.Subscriber) {
	home := core.Home(ctx, user)
	p := home.Printer()
	if home.Language == "" {
		p = s.userPrinter(ctx, user.Workspace, user.User)
	}
	view := homeView(p, home, s.location)
	req := slackapi.PublishViewContextRequest{UserID: user.User, View: view}
	api, err := s.web(ctx, user.Workspace)
	if err == nil {
		_, err = api.PublishViewContext(ctx, req)
	}
	if err != nil {
		s.log.Warn("could not publish the App Home tab", "user", user.User, "err", err)
	}
}

// homeView is the App Home tab for the core's home message.
func homeView(p text.Printer, m bot.Message, loc *time.Location) slackapi.HomeTabViewRequest {
	button := slackapi.NewButtonBlockElement(openFormAction, "", plainText(p.Sprintf("New profile")))
	button.Style = slackapi.StylePrimary
	head := []slackapi.Block{
		slackapi.NewHeaderBlock(plainText(p.Sprintf("Tenders for your business"))),
		slackapi.NewSectionBlock(mrkdwnText(p.Sprintf("Public tenders and market consultations that fit what you sell, as soon as they are published. Type `/tender help` for every command.")), nil, nil),
		slackapi.NewActionBlock("tb_home_actions", button),
		slackapi.NewDividerBlock(),
	}
	body := render(m, loc, renderOptions{actions: true, limit: viewBlockLimit - len(head)})
	return slackapi.HomeTabViewRequest{
		Type:       slackapi.VTHomeTab,
		Blocks:     slackapi.Blocks{BlockSet: append(head, body.blocks...)},
		CallbackID: "tb_home",
	}
}
