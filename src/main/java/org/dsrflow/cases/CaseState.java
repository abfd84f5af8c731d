package org.dsrflow.cases;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a case is in its life. The allowed moves are written here once; the store refuses
 * any other, so no caller can skip verification or answer a closed case.
 */
public enum CaseState {
    RECEIVED,
    AWAITING_CLARIFICATION,
    AWAITING_VERIFICATION,
    VERIFIED,
    IN_PROGRESS,
    WAITING_ON_SYSTEMS,
    NEEDS_ATTENTION,
    FULFILLED,
    REPLIED,
    REJECTED,
    DUPLICATE,
    WITHDRAWN;

    public Set<CaseState> next() {
        return switch (this) {
            case RECEIVED -> EnumSet.of(AWAITING_CLARIFICATION, AWAITING_VERIFICATION, REJECTED, DUPLICATE, WITHDRAWN);
            case AWAITING_CLARIFICATION -> EnumSet.of(AWAITING_VERIFICATION, REJECTED, WITHDRAWN);
            case AWAITING_VERIFICATION -> EnumSet.of(VERIFIED, REJECTED, WITHDRAWN);
            case VERIFIED -> EnumSet.of(IN_PROGRESS, WITHDRAWN);
            case IN_PROGRESS -> EnumSet.of(WAITING_ON_SYSTEMS, NEEDS_ATTENTION, FULFILLED);
            case WAITING_ON_SYSTEMS -> EnumSet.of(IN_PROGRESS, NEEDS_ATTENTION, FULFILLED);
            case NEEDS_ATTENTION -> EnumSet.of(IN_PROGRESS, FULFILLED);
            case FULFILLED -> EnumSet.of(REPLIED);
            case REPLIED, REJECTED, DUPLICATE, WITHDRAWN -> EnumSet.noneOf(CaseState.class);
        };
    }

    public boolean canMoveTo(CaseState target) {
        return next().contains(target);
    }

    public boolean isClosed() {
        return next().isEmpty();
    }
}
