package org.dsrflow.intake;

import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;

/**
 * A validated request from any channel, ready to become a case.
 *
 * @param type             what is asked for; {@link CaseType#UNDECIDED} when a free-text message was unclear
 * @param subjectEmail     whose data it is about (the address verification goes to)
 * @param requesterEmail   who replies are addressed to (the same person; kept apart for future proxies)
 * @param agentEmail       the support agent who forwarded or filed it, copied on replies that hold no secret
 * @param sourceSystem     the ticket system it came from (zendesk, jira, ...), if any
 * @param sourceTicketId   the ticket's id in that system
 * @param sourceRef        unique key of the inbound item (ticket or mail); the same item twice makes one case
 * @param inboundMessageId the Message-ID of the person's mail, so our replies continue their thread
 * @param inboundReferences the References of that mail
 * @param attestedBy       the agent who vouched for the person's identity, honoured only for trusted sources
 */
public record NewRequest(CaseType type, Channel channel, String subjectEmail, String requesterEmail, String language,
                         String agentEmail, String sourceSystem, String sourceTicketId, String sourceRef,
                         String inboundMessageId, String inboundReferences, String attestedBy) {

    /** A request typed in by the person themselves (web form, API). */
    public NewRequest(CaseType type, Channel channel, String subjectEmail, String requesterEmail, String language) {
        this(type, channel, subjectEmail, requesterEmail, language, null, null, null, null, null, null, null);
    }

    /**
     * The same request about an account's address on record: the code and every reply go to that
     * address, not to whatever address the request named.
     */
    public NewRequest about(String contactOnRecord) {
        String contact = contactOnRecord.trim().toLowerCase(java.util.Locale.ROOT);
        return new NewRequest(type, channel, contact, contact, language, agentEmail, sourceSystem, sourceTicketId,
                sourceRef, inboundMessageId, inboundReferences, attestedBy);
    }
}
