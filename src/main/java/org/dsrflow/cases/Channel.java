package org.dsrflow.cases;

/** How a request reached us. */
public enum Channel {
    EMAIL, TICKET, WEB, API
}
