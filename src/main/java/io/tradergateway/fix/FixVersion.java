package io.tradergateway.fix;

import io.tradergateway.execution.VenueCapabilities;
import quickfix.SessionID;

/**
 * The FIX versions a venue session may speak (SPEC 4.1): FIX 4.2, FIX 4.4, or FIX 5.0SP2 over FIXT.1.1. Every
 * translator function takes one, so that a session's messages are built and read in that session's version.
 */
public enum FixVersion {
    FIX42("FIX.4.2", "FIX.4.2", VenueCapabilities.FIX42, "dictionaries/FIX42.xml"),
    FIX44("FIX.4.4", "FIX.4.4", VenueCapabilities.FIX44, "dictionaries/FIX44.xml"),
    FIX50SP2("FIXT.1.1", "FIX.5.0SP2", VenueCapabilities.FIX50SP2, "dictionaries/FIX50SP2.xml");

    /** The FIXT.1.1 transport dictionary shipped in {@code dictionaries/}. */
    public static final String FIXT11_DICTIONARY = "dictionaries/FIXT11.xml";
    private static final String FIXT11 = "FIXT.1.1";
    /** ApplVerID (1128) value of FIX 5.0SP2. */
    private static final String APPL_VER_ID_FIX50SP2 = "9";

    private final String beginString;
    private final String applVersion;
    private final String capabilitiesName;
    private final String dictionary;

    FixVersion(String beginString, String applVersion, String capabilitiesName, String dictionary) {
        this.beginString = beginString;
        this.applVersion = applVersion;
        this.capabilitiesName = capabilitiesName;
        this.dictionary = dictionary;
    }

    /** BeginString (8) of the session. */
    public String beginString() {
        return beginString;
    }

    /** The application-message version: the key of QuickFIX/J's per-version message and group factories. */
    public String applVersion() {
        return applVersion;
    }

    /** The version as {@link VenueCapabilities#fixVersion()} names it. */
    public String capabilitiesName() {
        return capabilitiesName;
    }

    /** The stock application dictionary of this version in {@code dictionaries/}. */
    public String dictionary() {
        return dictionary;
    }

    public boolean isFixt() {
        return this == FIX50SP2;
    }

    /** FIX 4.2 has no SecurityListRequest (35=x) nor SecurityList (35=y): they came with FIX 4.3. */
    public boolean hasSecurityList() {
        return this != FIX42;
    }

    /**
     * The version of a session from its settings.
     *
     * @param beginString      BeginString of the session
     * @param defaultApplVerId DefaultApplVerID (FIXT.1.1 only): {@code FIX.5.0SP2} or {@code 9}; null when not set
     * @throws IllegalArgumentException naming the unsupported value
     */
    public static FixVersion of(String beginString, String defaultApplVerId) {
        if (FIX42.beginString.equals(beginString)) return FIX42;
        if (FIX44.beginString.equals(beginString)) return FIX44;
        if (FIXT11.equals(beginString)) {
            if (FIX50SP2.applVersion.equals(defaultApplVerId) || APPL_VER_ID_FIX50SP2.equals(defaultApplVerId)) return FIX50SP2;
            throw new IllegalArgumentException("BeginString=FIXT.1.1 needs DefaultApplVerID=FIX.5.0SP2 (or 9), not "
                    + (defaultApplVerId == null ? "none" : "DefaultApplVerID=" + defaultApplVerId));
        }
        throw new IllegalArgumentException("BeginString=" + beginString
                + " is not supported (FIX.4.2, FIX.4.4, or FIXT.1.1 with DefaultApplVerID=FIX.5.0SP2)");
    }

    /** The version of a session the gateway accepted at start-up (a FIXT.1.1 session is FIX 5.0SP2). */
    public static FixVersion of(SessionID id) {
        return of(id.getBeginString(), FIXT11.equals(id.getBeginString()) ? FIX50SP2.applVersion : null);
    }
}
