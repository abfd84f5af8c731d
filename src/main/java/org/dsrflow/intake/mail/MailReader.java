package org.dsrflow.intake.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.dsrflow.cases.Channel;
import org.dsrflow.intake.IntentClassifier;
import org.dsrflow.intake.InvalidRequestException;
import org.dsrflow.intake.NewRequest;
import org.dsrflow.intake.RequestValidation;

/**
 * Reads one mail of the privacy mailbox from its bytes and decides what it is. Never throws on
 * content: whatever cannot be read becomes a quarantine with the reason, so a hostile or broken
 * mail can neither stop the mailbox nor vanish.
 */
public final class MailReader {
    private static final Session SESSION = Session.getInstance(lenient());
    private static final int MAX_DEPTH = 8;
    private static final int MAX_PARTS = 100;
    private static final Pattern FORWARD_SUBJECT = Pattern.compile("^\\s*(?:(?:re|aw)\\s*[:：]\\s*)*(?:fwd?|fw|转发|轉發|转寄|轉寄)\\s*[:：]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FORWARD_MARKER = Pattern.compile(
            "^[ \\t>]*(?:-{2,}\\s*(?:forwarded message|original message|转发的邮件|转发邮件|原始邮件|轉寄郵件|原始郵件)\\s*-{2,}"
                    + "|begin forwarded message:|-{2,}\\s*forwarded by .*)\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern QUOTED_FROM = Pattern.compile(
            "^[ \\t>*]*(?:from|发件人|發件人|寄件人|寄件者)\\s*[:：]\\s*(.+)$", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern QUOTED_MESSAGE_ID = Pattern.compile("^[ \\t>]*message-id\\s*:\\s*(<[^<>\\s]{3,240}>)\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern ANGLE_ADDRESS = Pattern.compile("<\\s*(?:mailto:)?([^<>\\s]+@[^<>\\s]+)\\s*>");
    private static final Pattern BARE_ADDRESS = Pattern.compile("([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,63})");
    private static final Pattern MESSAGE_ID = Pattern.compile("<[\\x21-\\x3b\\x3d\\x3f-\\x7e]{1,240}@[\\x21-\\x3b\\x3d\\x3f-\\x7e]{1,240}>");
    private static final Set<String> BULK_PRECEDENCE = Set.of("bulk", "junk", "list", "auto_reply", "auto-reply");

    private final String ownAddress;
    private final String ownDomain;
    private final List<String> agents;
    private final int maxTextChars;

    /**
     * @param ownAddress   the privacy mailbox's own address: mails from it are ours and never answered
     * @param agents       support agents, by address or by whole domain
     * @param maxTextChars how much of a body is read for its meaning; the rest is not needed
     */
    public MailReader(String ownAddress, List<String> agents, int maxTextChars) {
        this.ownAddress = ownAddress.toLowerCase(Locale.ROOT);
        this.ownDomain = this.ownAddress.substring(this.ownAddress.indexOf('@') + 1);
        this.agents = agents.stream().map(a -> a.trim().toLowerCase(Locale.ROOT)).filter(a -> !a.isEmpty()).toList();
        this.maxTextChars = maxTextChars;
    }

    public InboundMail read(byte[] raw) {
        String key = "sha256:" + sha256(raw);
        try {
            MimeMessage mail = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            String messageId = messageId(header(mail, "Message-ID"));
            if (messageId != null) {
                key = "mid:" + messageId;
            }
            return classify(mail, key, messageId, raw);
        } catch (UnreadableException e) {
            return InboundMail.quarantine(key, e.getMessage(), raw.length, raw);
        } catch (MessagingException | IOException | RuntimeException | StackOverflowError e) {
            return InboundMail.quarantine(key, "unreadable mail (" + e.getClass().getSimpleName() + ")", raw.length, raw);
        }
    }

    private InboundMail classify(MimeMessage mail, String key, String messageId, byte[] raw) throws MessagingException, IOException {
        String loop = loopReason(mail, messageId);
        if (loop != null) {
            return InboundMail.ignore(key, loop, raw.length);
        }
        String authentication = header(mail, "Authentication-Results");
        if (authentication != null && authentication.toLowerCase(Locale.ROOT).matches("(?s).*\\bdmarc=fail\\b.*")) {
            return InboundMail.quarantine(key, "sender failed DMARC: the From address is likely forged", raw.length, raw);
        }
        String sender = sender(mail);
        String subject = clean(mail.getSubject(), 500);
        Body body = new Body();
        body.walk(mail, 0);
        String text = body.text();
        if (body.unknownCharset != null && text.isBlank()) {
            return InboundMail.quarantine(key, "text in an unknown charset: " + clean(body.unknownCharset, 40), raw.length, raw);
        }
        if (text.isBlank() && subject.isBlank()) {
            return InboundMail.quarantine(key, "no readable text" + (body.skipped > 0 ? " (attachments only)" : ""), raw.length, raw);
        }
        if (unreadableShare(text) > 0.1) {
            return InboundMail.quarantine(key, "text is not readable (binary content)", raw.length, raw);
        }
        if (isAgent(sender) && looksForwarded(subject, text, body)) {
            return forwarded(key, sender, subject, text, body, raw);
        }
        IntentClassifier.Intent intent = IntentClassifier.classify(subject, text);
        NewRequest request = new NewRequest(intent.type(), Channel.EMAIL, sender, sender, intent.language(), null, null, null,
                "mail:" + key, messageId, references(header(mail, "References")), null);
        return InboundMail.request(key, request, raw.length);
    }

    /** A support agent forwarded a person's mail: the request is the person's, the agent is copied. */
    private InboundMail forwarded(String key, String agent, String subject, String text, Body body, byte[] raw)
            throws MessagingException, IOException {
        String original = null;
        String originalId = null;
        String originalSubject = subject;
        String originalText = text;
        if (!body.attached.isEmpty()) {
            MimeMessage inner = body.attached.get(0);
            original = firstAddress(inner.getFrom());
            originalId = messageId(header(inner, "Message-ID"));
            originalSubject = clean(inner.getSubject(), 500);
            Body innerBody = new Body();
            innerBody.walk(inner, 1);
            originalText = innerBody.text();
        } else {
            Matcher marker = FORWARD_MARKER.matcher(text);
            int from = marker.find() ? marker.end() : 0;
            Matcher quotedFrom = QUOTED_FROM.matcher(text);
            if (quotedFrom.find(from)) {
                original = address(quotedFrom.group(1));
                Matcher id = QUOTED_MESSAGE_ID.matcher(text);
                originalId = id.find(quotedFrom.start()) ? messageId(id.group(1)) : null;
                originalText = text.substring(quotedFrom.start());
            }
        }
        if (original == null) {
            return InboundMail.quarantine(key, "forwarded by a support agent, but the original sender could not be found", raw.length, raw);
        }
        String person;
        try {
            person = RequestValidation.email("from", original);
        } catch (InvalidRequestException e) {
            return InboundMail.quarantine(key, "forwarded by a support agent, but the original sender's address is not usable",
                    raw.length, raw);
        }
        if (isAgent(person) || person.equals(ownAddress)) {
            return InboundMail.quarantine(key, "forwarded mail whose original sender is an agent or this mailbox", raw.length, raw);
        }
        IntentClassifier.Intent intent = IntentClassifier.classify(originalSubject, originalText);
        if (intent.type() == org.dsrflow.cases.CaseType.UNDECIDED) {
            // the agent's own words may say what the person wants ("she asks us to delete her account")
            intent = IntentClassifier.classify(subject, text);
        }
        NewRequest request = new NewRequest(intent.type(), Channel.EMAIL, person, person,
                IntentClassifier.language(originalSubject + "\n" + originalText), agent, null, null, "mail:" + key, originalId, null,
                null);
        return InboundMail.request(key, request, raw.length);
    }

    /** Why a mail must never be answered (RFC 3834 and common practice), or null if it may be. */
    private String loopReason(MimeMessage mail, String messageId) throws MessagingException {
        String auto = header(mail, "Auto-Submitted");
        if (auto != null && !auto.trim().toLowerCase(Locale.ROOT).startsWith("no")) {
            return "auto-submitted (" + clean(auto, 40) + ")";
        }
        String precedence = header(mail, "Precedence");
        if (precedence != null && BULK_PRECEDENCE.contains(precedence.trim().toLowerCase(Locale.ROOT))) {
            return "precedence " + clean(precedence, 20);
        }
        if (header(mail, "X-Autoreply") != null || header(mail, "X-Autorespond") != null || header(mail, "X-Autoresponse") != null) {
            return "auto-reply";
        }
        if (header(mail, "X-Dsrflow-Mail") != null) {
            return "one of our own mails";
        }
        String returnPath = header(mail, "Return-Path");
        if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) {
            return "bounce (empty Return-Path)";
        }
        if (header(mail, "List-Id") != null || header(mail, "List-Unsubscribe") != null) {
            return "mailing list";
        }
        if (mail.isMimeType("multipart/report")) {
            return "delivery or read report";
        }
        if (messageId != null && messageId.toLowerCase(Locale.ROOT).endsWith("@" + ownDomain + ">")) {
            return "one of our own mails";
        }
        String from = safeFirstAddress(mail);
        if (from != null) {
            String local = from.substring(0, Math.max(0, from.indexOf('@')));
            if (from.equals(ownAddress)) {
                return "one of our own mails";
            }
            if (local.equals("mailer-daemon") || local.equals("postmaster")) {
                return "bounce (" + local + ")";
            }
        }
        return null;
    }

    private String sender(MimeMessage mail) throws MessagingException {
        Address[] from;
        try {
            from = mail.getFrom();
        } catch (MessagingException e) {
            throw new UnreadableException("the sender address cannot be read");
        }
        if (from == null || from.length == 0) {
            throw new UnreadableException("the mail has no sender");
        }
        if (from.length > 1) {
            throw new UnreadableException("the mail names more than one sender");
        }
        String address = firstAddress(from);
        try {
            return RequestValidation.email("from", address);
        } catch (InvalidRequestException e) {
            throw new UnreadableException("the sender address is not one we can write to");
        }
    }

    private boolean isAgent(String address) {
        if (address == null) {
            return false;
        }
        String domain = address.substring(address.indexOf('@') + 1);
        for (String agent : agents) {
            if (agent.contains("@") ? agent.equals(address) : agent.equals(domain)) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksForwarded(String subject, String text, Body body) {
        return FORWARD_SUBJECT.matcher(subject).find() || !body.attached.isEmpty() || FORWARD_MARKER.matcher(text).find();
    }

    /** The text of a mail: plain text preferred, HTML reduced to text otherwise; attachments are skipped, never kept. */
    private final class Body {
        final StringBuilder plain = new StringBuilder();
        final StringBuilder html = new StringBuilder();
        final List<MimeMessage> attached = new ArrayList<>();
        int parts;
        int skipped;
        String unknownCharset;

        void walk(Part part, int depth) throws MessagingException, IOException {
            if (depth > MAX_DEPTH || ++parts > MAX_PARTS) {
                throw new UnreadableException("the mail is nested too deeply or has too many parts");
            }
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (!(content instanceof Multipart multipart)) {
                    throw new UnreadableException("a multipart without parts");
                }
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child, depth + 1);
                }
                return;
            }
            boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition(part));
            if (part.isMimeType("message/rfc822")) {
                if (part.getContent() instanceof MimeMessage inner && attached.size() < 3) {
                    attached.add(inner);
                }
                return;
            }
            if (attachment || !(part.isMimeType("text/plain") || part.isMimeType("text/html") || part.getContentType() == null)) {
                skipped++;
                return;
            }
            String decoded = decode(part);
            if (decoded == null) {
                return;
            }
            (part.isMimeType("text/html") ? html : plain).append(decoded).append('\n');
        }

        String text() {
            String text = plain.toString().isBlank() ? HtmlText.toText(html.toString()) : plain.toString();
            text = text.replace("\r\n", "\n");
            return text.length() > maxTextChars ? text.substring(0, maxTextChars) : text;
        }

        private String decode(Part part) throws MessagingException, IOException {
            String declared = null;
            try {
                declared = new ContentType(part.getContentType()).getParameter("charset");
            } catch (MessagingException | RuntimeException e) {
                // an unparsable Content-Type: read the bytes as text below
            }
            byte[] bytes;
            try (InputStream in = part.getInputStream()) {
                bytes = in.readNBytes(maxTextChars * 4);
            }
            Charset charset = charset(declared);
            if (charset != null) {
                return new String(bytes, charset);
            }
            String utf8 = strictUtf8(bytes);
            if (utf8 != null) {
                return utf8;
            }
            if (declared == null) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
            unknownCharset = declared;
            return null;
        }
    }

    /** Java's name for a mail charset; GB2312 and GBK mails are read as GB18030, which contains both. */
    static Charset charset(String declared) {
        if (declared == null || declared.isBlank()) {
            return null;
        }
        String name = declared.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (name.equals("gb2312") || name.equals("gbk") || name.equals("x-gbk") || name.equals("cp936") || name.equals("euc-cn")) {
            return Charset.forName("GB18030");
        }
        try {
            return Charset.forName(MimeUtility.javaCharset(name));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Share of characters that are neither text nor ordinary white space (binary data posing as text). */
    static double unreadableShare(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        long bad = text.chars().filter(c -> c == 0xFFFD || (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')).count();
        return (double) bad / text.length();
    }

    private static String disposition(Part part) {
        try {
            return part.getDisposition();
        } catch (MessagingException e) {
            return null;
        }
    }

    private static String header(MimeMessage mail, String name) throws MessagingException {
        String[] values = mail.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    /** A Message-ID fit to be threaded on (and to key the mail by), or null. */
    static String messageId(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = MESSAGE_ID.matcher(value.trim());
        return m.matches() ? m.group() : null;
    }

    private static String references(String value) {
        if (value == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        Matcher m = MESSAGE_ID.matcher(value);
        while (m.find() && ids.size() < 20) {
            ids.add(m.group());
        }
        return ids.isEmpty() ? null : String.join(" ", ids);
    }

    private static String firstAddress(Address[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return null;
        }
        return addresses[0] instanceof InternetAddress ia ? ia.getAddress() : addresses[0].toString();
    }

    private static String safeFirstAddress(MimeMessage mail) {
        try {
            String address = firstAddress(mail.getFrom());
            return address == null ? null : address.trim().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    /** The address out of a quoted "From:" line: {@code Name <a@b>}, {@code a@b}, or {@code "a@b" <a@b>}. */
    private static String address(String line) {
        Matcher angle = ANGLE_ADDRESS.matcher(line);
        if (angle.find()) {
            return angle.group(1);
        }
        Matcher bare = BARE_ADDRESS.matcher(line);
        return bare.find() ? bare.group(1) : null;
    }

    /** Control characters (a line break smuggled in through an encoded header, say) become spaces. */
    static String clean(String value, int max) {
        if (value == null) {
            return "";
        }
        String cleaned = value.replaceAll("[\\p{Cc}\\u2028\\u2029]", " ").trim();
        return cleaned.length() > max ? cleaned.substring(0, max) : cleaned;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties lenient() {
        Properties p = new Properties();
        p.setProperty("mail.mime.address.strict", "false");
        p.setProperty("mail.mime.decodetext.strict", "false");
        p.setProperty("mail.mime.parameters.strict", "false");
        p.setProperty("mail.mime.base64.ignoreerrors", "true");
        p.setProperty("mail.mime.uudecode.ignoreerrors", "true");
        p.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        p.setProperty("mail.mime.multipart.allowempty", "true");
        return p;
    }

    /** A reason to quarantine found deep in the reading; its message is the reason. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String reason) {
            super(reason, null, false, false);
        }
    }
}
