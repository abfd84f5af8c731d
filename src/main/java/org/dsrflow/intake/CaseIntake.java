package org.dsrflow.intake;

import org.dsrflow.cases.CaseStore;
import org.dsrflow.cases.DsrCase;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Turns a validated request into a stored case; every channel ends here. */
@Component("caseIntake")
public class CaseIntake {
    private final CaseStore cases;

    CaseIntake(CaseStore cases) {
        this.cases = cases;
    }

    @Transactional
    public DsrCase receive(NewRequest request) {
        return cases.create(request.type(), request.channel(), request.subjectEmail(), request.requesterEmail(), request.language(),
                "intake:" + request.channel().name().toLowerCase());
    }
}
