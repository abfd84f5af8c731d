package org.dsrflow.cases;

/** No case has the given reference. */
public class CaseNotFoundException extends RuntimeException {
    public CaseNotFoundException(String caseId) {
        super("no case with reference " + caseId);
    }
}
