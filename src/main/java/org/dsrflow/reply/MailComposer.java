package org.dsrflow.reply;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.dsrflow.DsrflowSettings;
import org.dsrflow.cases.DsrCase;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ErasureReport.TableErasure;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.deadline.ClockStart;
import org.dsrflow.deadline.DayCount;
import org.dsrflow.deadline.DeadlinePolicy;
import org.dsrflow.deadline.Deadlines;
import org.dsrflow.outbox.OutgoingMail;
import org.springframework.stereotype.Component;

/** Writes the mails a requester receives, in the language of their request. */
@Component
public class MailComposer {
    private final MailTemplates templates;
    private final DsrflowSettings settings;
    private final Deadlines deadlines;

    MailComposer(MailTemplates templates, DsrflowSettings settings, Deadlines deadlines) {
        this.templates = templates;
        this.settings = settings;
        this.deadlines = deadlines;
    }

    /** What the requester is promised, in their language: a period from verification, or a date. */
    String deadlineSentence(DsrCase c) {
        DeadlinePolicy policy = deadlines.policy(c.policy());
        String lang = c.language();
        if (policy.starts() == ClockStart.VERIFICATION || c.dueAt() == null) {
            return templates.label(lang, "deadline.after-verification").replace("{0}", period(policy.length(), policy.unit(), lang));
        }
        return templates.label(lang, policy.pausesWhileWaiting() ? "deadline.by-date-paused" : "deadline.by-date")
                .replace("{0}", dateTime(c.dueAt(), lang));
    }

    String period(int amount, DayCount unit, String lang) {
        return templates.optionalLabel(lang, "deadline.unit." + unit.name() + "." + amount)
                .orElseGet(() -> templates.label(lang, "deadline.unit." + unit.name()))
                .replace("{0}", Integer.toString(amount));
    }

    /** The first mail of a case's thread: its Message-ID becomes the thread every later mail replies to. */
    public OutgoingMail verification(DsrCase c, String code, String link, Instant expiresAt) {
        MailTemplates.Rendered r = templates.render("verification", c.language(), Map.of(
                "reference", c.id(),
                "type", typeLabel(c),
                "code", code,
                "link", link,
                "expires", dateTime(expiresAt, c.language()),
                "deadline", deadlineSentence(c)));
        // the code goes to the person alone, never to an agent in copy: it is what proves the address is theirs
        return threaded(c, r, "verify", List.of());
    }

    /** The passcode for a download link, in a mail without the link; never copied to an agent. */
    public OutgoingMail exportPasscode(DsrCase c, String passcode, Instant expiresAt) {
        MailTemplates.Rendered r = templates.render("export-passcode", c.language(), Map.of(
                "reference", c.id(),
                "passcode", passcode,
                "expires", dateTime(expiresAt, c.language())));
        return threaded(c, r, "passcode", List.of());
    }

    /**
     * A task for the owner of a system nobody can automate: who, what, by when, and the signed link
     * to report on. {@code reminder} marks a repeat sent because no report came in time.
     */
    public OutgoingMail manualTask(String owner, String language, String system, String title, String caseId, String action,
                                   String subject, Instant deadline, String link, boolean reminder) {
        boolean zh = "zh".equals(language);
        String[] words = switch (action) {
            case "export" -> zh
                    ? new String[] {"导出", "获取", "导出该用户在本系统中的全部个人信息，并在报告页面按数据集上传（CSV，第一行为列名）",
                                    "没有找到任何记录时，上传留空即可。"}
                    : new String[] {"export", "given a copy of", "Export every record this system holds about the person, and upload "
                            + "them per dataset on the report page (CSV, first line the column names)",
                                    "If the system holds nothing about the person, leave the uploads empty."};
            case "erase" -> zh
                    ? new String[] {"删除", "删除", "删除或匿名化该用户在本系统中的个人信息；法律要求保留的，请注明理由",
                                    "完成后请再次按该邮箱查找，确认已找不到任何可识别该用户的记录。"}
                    : new String[] {"erase", "erased", "Delete or anonymize the person's records in this system; where a law requires "
                            + "keeping some, report them as kept", "When done, search again by the address and confirm that nothing "
                            + "identifying the person can be found."};
            default -> zh
                    ? new String[] {"核查", "删除", "按该邮箱查找，报告每个数据集中仍能找到的记录数", "此任务只需查找，不要修改数据。"}
                    : new String[] {"check", "erased", "Search by the address and report how many records can still be found per dataset",
                                    "This task only looks; change nothing."};
        };
        String instructions = words[3];
        MailTemplates.Rendered r = templates.render("manual-task", zh ? "zh" : "en", Map.ofEntries(
                Map.entry("reminder", reminder ? (zh ? "提醒：" : "Reminder: ") : ""),
                Map.entry("reference", caseId == null ? "-" : caseId),
                Map.entry("action", words[0]),
                Map.entry("actionDone", words[1]),
                Map.entry("actionText", words[2]),
                Map.entry("system", system),
                Map.entry("title", title),
                Map.entry("subject", subject),
                Map.entry("deadline", deadline == null ? "-" : dateTime(deadline, zh ? "zh" : "en")),
                Map.entry("link", link),
                Map.entry("instructions", instructions)));
        String from = settings.mail().from();
        String messageId = "<" + (caseId == null ? "check" : caseId) + ".manual." + system + "." + UUID.randomUUID().toString().substring(0, 8)
                + "@" + from.substring(from.indexOf('@') + 1) + ">";
        return new OutgoingMail(owner, List.of(), r.subject(), r.body(), messageId, null, List.of());
    }

    /** A deadline notice for staff (English): how long is left, where the case stands, what it waits for. */
    public OutgoingMail slaNotice(String to, DsrCase c, String point, java.time.Duration left, List<String> waitingOn) {
        boolean overdue = left.isNegative() || left.isZero();
        boolean atRisk = "at-risk".equals(point);
        long minutes = Math.abs(left.toMinutes());
        String span = minutes >= 48 * 60 ? (minutes / 1440) + " days" : minutes >= 120 ? (minutes / 60) + " hours" : minutes + " minutes";
        MailTemplates.Rendered r = templates.render("sla-notice", "en", Map.ofEntries(
                Map.entry("headline", atRisk ? "AT RISK" : overdue ? "OVERDUE" : span + " left"),
                Map.entry("reference", c.id()),
                Map.entry("type", c.type().name()),
                Map.entry("channel", c.channel().name()),
                Map.entry("state", c.state().name()),
                Map.entry("due", dateTime(c.dueAt(), "en")),
                Map.entry("policy", c.policy() == null ? "-" : c.policy()),
                Map.entry("status", overdue ? "past its deadline by " + span : "due in " + span),
                Map.entry("waitingOn", waitingOn.isEmpty() ? "-" : String.join(", ", waitingOn)),
                Map.entry("advice", atRisk
                        ? "The systems still to answer are expected to take longer than the time left. Chase them now, or "
                                + "extend the deadline with a reason where the law allows it."
                        : overdue
                        ? "The deadline has passed: reply as soon as possible, and record why it was missed."
                        : "If it cannot be answered in time, extend the deadline with a reason where the law allows it."),
                Map.entry("point", point)));
        String from = settings.mail().from();
        String messageId = "<" + c.id() + ".sla." + point + "." + UUID.randomUUID().toString().substring(0, 8) + "@"
                + from.substring(from.indexOf('@') + 1) + ">";
        return new OutgoingMail(to, List.of(), r.subject(), r.body(), messageId, null, List.of());
    }

    /** The one reminder: a fresh code, and the day an unconfirmed request will be closed. */
    public OutgoingMail verificationReminder(DsrCase c, String code, String link, Instant expiresAt, Instant closesAt) {
        MailTemplates.Rendered r = templates.render("verification-reminder", c.language(), Map.of(
                "reference", c.id(),
                "type", typeLabel(c),
                "code", code,
                "link", link,
                "expires", dateTime(expiresAt, c.language()),
                "closes", dateTime(closesAt, c.language()),
                "deadline", deadlineSentence(c)));
        return threaded(c, r, "remind", List.of());
    }

    /** The polite close of a request nobody confirmed. */
    public OutgoingMail verificationExpired(DsrCase c, java.time.Duration after) {
        MailTemplates.Rendered r = templates.render("verification-expired", c.language(), Map.of(
                "reference", c.id(),
                "type", typeLabel(c),
                "days", Long.toString(after.toDays())));
        return threaded(c, r, "expired", agentCopy(c));
    }

    /** Tells the requester that staff declined the request, and why (the reason as staff wrote it). */
    public OutgoingMail rejection(DsrCase c, String reason) {
        MailTemplates.Rendered r = templates.render("rejected", c.language(), Map.of(
                "reference", c.id(),
                "type", typeLabel(c),
                "reason", reason));
        return threaded(c, r, "rejected", agentCopy(c));
    }

    /** The same mail again, as a new message in the same thread (a resend an operator asked for). */
    public OutgoingMail again(DsrCase c, OutgoingMail original) {
        List<String> refs = new java.util.ArrayList<>(original.references() == null ? List.of() : original.references());
        if (original.messageId() != null && !refs.contains(original.messageId())) {
            refs.add(original.messageId());
        }
        return new OutgoingMail(original.to(), original.cc(), original.subject(), original.body(), newMessageId(c, "resent"),
                original.messageId(), refs);
    }

    /** Tells a person whose request an agent forwarded that it arrived; the agent is in copy. */
    public OutgoingMail acknowledgement(DsrCase c) {
        MailTemplates.Rendered r = templates.render("acknowledgement", c.language(), Map.of(
                "reference", c.id(),
                "agent", c.agentEmail() == null ? "" : c.agentEmail(),
                "type", typeLabel(c),
                "deadline", deadlineSentence(c)));
        return threaded(c, r, "ack", agentCopy(c));
    }

    /** Asks the person to choose between access and deletion instead of guessing. */
    public OutgoingMail clarification(DsrCase c, String accessLink, String deletionLink, Instant expiresAt) {
        MailTemplates.Rendered r = templates.render("clarification", c.language(), Map.of(
                "reference", c.id(),
                "accessLink", accessLink,
                "deletionLink", deletionLink,
                "expires", dateTime(expiresAt, c.language())));
        return threaded(c, r, "choose", List.of());
    }

    /** Tells a person that their new message joined the request they already have open. */
    public OutgoingMail joined(DsrCase c, String agentEmail) {
        String lang = c.language();
        String next = switch (c.state()) {
            case AWAITING_CLARIFICATION, AWAITING_VERIFICATION -> templates.label(lang, "next." + c.state().name());
            default -> c.dueAt() == null ? templates.label(lang, "next.unverified")
                    : templates.label(lang, "next.other").replace("{0}", dateTime(c.dueAt(), lang));
        };
        MailTemplates.Rendered r = templates.render("joined", lang, Map.of(
                "reference", c.id(),
                "type", typeLabel(c),
                "status", templates.label(lang, "status." + c.state().name()),
                "next", next));
        return threaded(c, r, "joined", agentEmail == null ? List.of() : List.of(agentEmail));
    }

    /** Tells the requester their deadline was extended, why, and the new date. */
    public OutgoingMail extensionNotice(DsrCase c, int amount, DayCount unit, String reason) {
        String lang = c.language();
        MailTemplates.Rendered r = templates.render("extension", lang, Map.of(
                "reference", c.id(),
                "type", typeLabel(c),
                "reason", reason,
                "extension", period(amount, unit, lang),
                "due", dateTime(c.dueAt(), lang)));
        return threaded(c, r, "extended", agentCopy(c));
    }

    /** The comment a ticket gets when its case moves, in the ticket's language; states and dates only. */
    public String ticketComment(DsrCase c, boolean created, String reason) {
        String lang = c.language();
        String due = c.dueAt() == null ? "" : dateTime(c.dueAt(), lang);
        String text = templates.label(lang, created ? "ticket.received" : "ticket." + c.state().name())
                .replace("{0}", created ? c.id() : due)
                .replace("{1}", created ? typeLabel(c) : reason == null ? "" : reason);
        return text;
    }

    private String typeLabel(DsrCase c) {
        return templates.label(c.language(), "type." + c.type().name().toLowerCase(Locale.ROOT));
    }

    private static List<String> agentCopy(DsrCase c) {
        return c.agentEmail() == null ? List.of() : List.of(c.agentEmail());
    }

    public OutgoingMail accessReply(DsrCase c, String link, Instant expiresAt, Map<String, Long> recordsPerSystem) {
        StringBuilder systems = new StringBuilder();
        recordsPerSystem.forEach((system, n) -> systems.append("  - ").append(system).append(": ").append(n).append(' ')
                .append(templates.label(c.language(), "records")).append('\n'));
        MailTemplates.Rendered r = templates.render("reply-access", c.language(), Map.of(
                "reference", c.id(),
                "link", link,
                "expires", dateTime(expiresAt, c.language()),
                "systems", systems.toString().stripTrailing()));
        // the download link is for the person alone; a forwarding agent hears of the reply through the ticket
        return threaded(c, r, "reply", List.of());
    }

    public OutgoingMail erasureReply(DsrCase c, List<ErasureReport> reports, List<VerifyReport> proofs) {
        String lang = c.language();
        StringBuilder lines = new StringBuilder();
        List<String> retained = new ArrayList<>();
        for (ErasureReport report : reports) {
            boolean proven = proofs.stream().filter(p -> p.system().equals(report.system())).allMatch(VerifyReport::erased);
            lines.append("  ").append(report.system()).append(": ")
                    .append(report.rows(ErasureReport.Outcome.ANONYMIZED)).append(' ').append(templates.label(lang, "anonymized")).append(", ")
                    .append(report.rows(ErasureReport.Outcome.DELETED)).append(' ').append(templates.label(lang, "deleted")).append(", ")
                    .append(report.rows(ErasureReport.Outcome.RETAINED)).append(' ').append(templates.label(lang, "retained")).append(" — ")
                    .append(templates.label(lang, proven ? "verified" : "not-verified")).append('\n');
            for (TableErasure t : report.tables()) {
                if (t.outcome() == ErasureReport.Outcome.RETAINED && t.rows() > 0) {
                    retained.add("  - " + report.system() + "/" + t.table() + " (" + t.rows() + "): " + t.retention().reasonIn(lang)
                            + " [" + t.retention().legalBasis() + "; " + templates.label(lang, "kept-for") + " "
                            + period(t.retention().period(), lang) + keptUntil(t.retention().period(), lang) + "]");
                }
            }
        }
        MailTemplates.Rendered r = templates.render("reply-erasure", lang, Map.of(
                "reference", c.id(),
                "report", lines.toString().stripTrailing(),
                "retained", retained.isEmpty() ? "  " + templates.label(lang, "nothing-retained") : String.join("\n", retained)));
        return threaded(c, r, "reply", agentCopy(c));
    }

    /** A mail in the case's conversation: it answers the latest mail of the thread and lists the ones before. */
    private OutgoingMail threaded(DsrCase c, MailTemplates.Rendered r, String purpose, List<String> cc) {
        return new OutgoingMail(c.requesterEmail(), cc, r.subject(), r.body(), newMessageId(c, purpose), c.threadMessageId(),
                c.references());
    }

    private String newMessageId(DsrCase c, String purpose) {
        String from = settings.mail().from();
        String domain = from.substring(from.indexOf('@') + 1);
        return "<" + c.id() + "." + purpose + "." + UUID.randomUUID().toString().substring(0, 8) + "@" + domain + ">";
    }

    /**
     * The latest day kept rows can still exist: today plus the retention period. The period runs
     * from each record's own date (an invoice's, say), which is never after today, so this is an
     * upper bound the person can hold us to.
     */
    private String keptUntil(String iso, String language) {
        try {
            java.time.LocalDate until = java.time.LocalDate.now(settings.displayZone()).plus(java.time.Period.parse(iso));
            DateTimeFormatter f = "zh".equals(language) ? DateTimeFormatter.ofPattern("yyyy年M月d日", Locale.CHINA)
                    : DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
            return templates.label(language, "kept-until").replace("{0}", f.format(until));
        } catch (java.time.format.DateTimeParseException e) {
            return "";
        }
    }

    /** An ISO-8601 period as people read it: P10Y -> "10 years" / "10年". */
    String period(String iso, String language) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)W)?(?:(\\d+)D)?").matcher(iso);
        if (!m.matches()) {
            return iso;
        }
        String[] units = {"year", "month", "week", "day"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < units.length; i++) {
            String n = m.group(i + 1);
            if (n != null) {
                String unit = templates.label(language, "unit." + units[i] + (n.equals("1") ? "" : "s"));
                parts.add("zh".equals(language) ? n + unit : n + " " + unit);
            }
        }
        return String.join("zh".equals(language) ? "" : " ", parts);
    }

    String dateTime(Instant instant, String language) {
        DateTimeFormatter f = "zh".equals(language)
                ? DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm", Locale.CHINA)
                : DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm", Locale.ENGLISH);
        return f.withZone(settings.displayZone()).format(instant) + " (" + settings.displayZone().getId() + ")";
    }
}
