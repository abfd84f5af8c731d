package org.dsrflow.intake;

import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;

/** A validated request from any channel, ready to become a case. */
public record NewRequest(CaseType type, Channel channel, String subjectEmail, String requesterEmail, String language) {
}
