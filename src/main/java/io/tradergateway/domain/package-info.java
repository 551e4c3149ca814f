/** Small value types shared by every stage of the pipeline (sides, identifiers, fills). No QuickFIX/J here. */
package io.tradergateway.domain;
