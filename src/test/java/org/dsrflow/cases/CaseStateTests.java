package org.dsrflow.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

class CaseStateTests {

    @Test
    void theHappyPathIsAllowedStepByStep() {
        CaseState[] path = {CaseState.RECEIVED, CaseState.AWAITING_VERIFICATION, CaseState.VERIFIED, CaseState.IN_PROGRESS,
                CaseState.FULFILLED, CaseState.REPLIED};
        for (int i = 0; i + 1 < path.length; i++) {
            assertThat(path[i].canMoveTo(path[i + 1])).as(path[i] + " -> " + path[i + 1]).isTrue();
        }
    }

    @Test
    void verificationCannotBeSkipped() {
        assertThat(CaseState.RECEIVED.canMoveTo(CaseState.VERIFIED)).isFalse();
        assertThat(CaseState.AWAITING_CLARIFICATION.canMoveTo(CaseState.VERIFIED)).isFalse();
        assertThat(CaseState.AWAITING_CLARIFICATION.canMoveTo(CaseState.IN_PROGRESS)).isFalse();
        assertThat(CaseState.AWAITING_VERIFICATION.canMoveTo(CaseState.IN_PROGRESS)).isFalse();
        assertThat(CaseState.AWAITING_VERIFICATION.canMoveTo(CaseState.FULFILLED)).isFalse();
    }

    @Test
    void closedCasesNeverMoveAgain() {
        for (CaseState closed : EnumSet.of(CaseState.REPLIED, CaseState.REJECTED, CaseState.DUPLICATE, CaseState.WITHDRAWN)) {
            assertThat(closed.isClosed()).isTrue();
            for (CaseState any : CaseState.values()) {
                assertThat(closed.canMoveTo(any)).as(closed + " -> " + any).isFalse();
            }
        }
    }

    @Test
    void aReplyOnlyFollowsFulfilment() {
        for (CaseState s : CaseState.values()) {
            assertThat(s.canMoveTo(CaseState.REPLIED)).as(s + " -> REPLIED").isEqualTo(s == CaseState.FULFILLED);
        }
    }

    @Test
    void ulidsAreValidSortableAndDistinct() {
        String a = Ulid.next();
        String b = Ulid.next();
        assertThat(Ulid.isValid(a)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(Ulid.isValid("01J' OR '1'='1")).isFalse();
        assertThat(Ulid.of(1, new java.security.SecureRandom()).compareTo(Ulid.of(2, new java.security.SecureRandom()))).isNegative();
    }
}
