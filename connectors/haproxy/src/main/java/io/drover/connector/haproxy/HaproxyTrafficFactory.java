package io.drover.connector.haproxy;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficFactory;
import io.drover.core.spi.TrafficSwitch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code type: haproxy} under {@code traffic:}. */
public final class HaproxyTrafficFactory implements TrafficFactory<HaproxyConfig> {
    /** Names the Runtime API accepts without quoting: no spaces, slashes or semicolons. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    /** Whether {@code name} can be a backend, server or target name in a Runtime API command as it is. */
    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    @Override
    public String type() {
        return "haproxy";
    }

    @Override
    public Class<HaproxyConfig> configType() {
        return HaproxyConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(HaproxyConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!config.socket().isAbsolute()) {
            problems.add(new ConfigProblem("socket", "socket must be an absolute path, got " + config.socket()));
        }
        if (!NAME.matcher(config.backend()).matches()) {
            problems.add(new ConfigProblem("backend", "backend must be a HAProxy backend name (letters, digits, _ . : -), got '"
                    + config.backend() + "'"));
        }
        if (config.servers().isEmpty()) {
            problems.add(new ConfigProblem("servers", "servers must name at least one member → server, e.g. { dc1: pg1, dr1: pg2 }"));
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> e : config.servers().entrySet()) {
            if (!NAME.matcher(e.getValue()).matches()) {
                problems.add(new ConfigProblem("servers", "server of " + e.getKey()
                        + " must be a HAProxy server name (letters, digits, _ . : -), got '" + e.getValue() + "'"));
            } else if (!seen.add(e.getValue())) {
                problems.add(new ConfigProblem("servers", "server " + e.getValue()
                        + " is named by two members; each member needs its own server"));
            }
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "timeout must be positive, got " + config.timeout()));
        }
        return problems;
    }

    @Override
    public TrafficSwitch create(HaproxyConfig config, ConnectorContext context) {
        return new HaproxySwitch(config);
    }
}
