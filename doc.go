// Package congdoanbot is the domain of the trade union's bot, imported as
// cd: what the union's own documents speak of, and the rules that hold
// wherever it is used.
//
// It holds the union's units (the province and its grassroots unions),
// members and their chat identities, roles and statuses; activity kinds,
// activity reports and the monthly unit reports; campaigns and their
// targets; funds, pledges and payments, with VietQR payment payloads;
// announcements and their audiences; the month's summaries; the messages
// the bot sends (the outbox items) and the updates it receives (the inbox
// items). With them go their Validate methods, the reason codes of
// errors (Error, Reason) that the core turns into Vietnamese for people,
// and the helpers every package shares: money in whole đồng as int64
// ("500k", "1tr2" read, "1.500.000 đ" written), dates and months in
// Asia/Ho_Chi_Minh (dd/mm/yyyy), and Vietnamese text folding and sorting.
//
// It imports no SQL, no chat library, no cron and no renderer: storage/,
// the adapters under bot/, jobs/ and report/ all depend on it, never the
// other way round.
package congdoanbot
