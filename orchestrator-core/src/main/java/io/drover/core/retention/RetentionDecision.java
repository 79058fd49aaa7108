package io.drover.core.retention;

import java.util.List;
import java.util.Objects;

/** Keep or forget one recovery point, with every reason it is kept (none when forgotten). */
public record RetentionDecision(RetentionPoint point, boolean keep, List<String> reasons) {
    public RetentionDecision {
        Objects.requireNonNull(point, "point");
        reasons = List.copyOf(reasons);
    }
}
