package io.drover.core.rpo;

/** One thing the BIA review found about a service: its protection cannot deliver what the BIA asks. */
public record BiaFinding(String service, String message) {
}
