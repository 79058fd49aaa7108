package io.drover.connector.dns;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficFactory;
import io.drover.core.spi.TrafficSwitch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** {@code type: dns} under {@code traffic:}. */
public final class DnsTrafficFactory implements TrafficFactory<DnsConfig> {

    @Override
    public String type() {
        return "dns";
    }

    @Override
    public Class<DnsConfig> configType() {
        return DnsConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(DnsConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        check(problems, "server", () -> ServerAddress.parse(config.server()));
        Optional<Name> zone = check(problems, "zone", () -> DnsValues.zone(config.zone()));
        Optional<Name> owner = zone.flatMap(z -> check(problems, "name", () -> DnsValues.owner(config.name(), z)));
        if (owner.isPresent() && owner.get().equals(zone.get()) && config.recordType() == DnsConfig.RecordType.CNAME) {
            problems.add(new ConfigProblem("name", "a CNAME cannot be at the zone's apex " + zone.get()
                    + " (the apex has SOA and NS records); use A or AAAA there, or a name below it"));
        }
        Optional<Long> ttl = check(problems, "ttl", () -> DnsValues.ttlSeconds(config.ttl()));
        check(problems, "tsig.name", () -> DnsValues.keyName(config.tsig().name()));
        check(problems, "tsig.secret", () -> DnsValues.keyBytes(config.tsig().secret().reveal(), config.tsig().secret().reference()));
        if (config.targets().isEmpty()) {
            problems.add(new ConfigProblem("targets", "targets must name at least one member → " + example(config.recordType())));
        }
        // Records are compared by value (192.0.2.010 and 192.0.2.10 are one address), so parse with a
        // stand-in name and TTL when the real ones are broken: each value is still checked.
        Name recordOwner = owner.orElse(Name.root);
        Map<Record, String> seen = new HashMap<>();
        config.targets().forEach((target, value) -> {
            Optional<Record> record = check(problems, "targets." + target,
                    () -> DnsValues.record(config.recordType(), recordOwner, ttl.orElse(1L), value), "target " + target + " ");
            record.ifPresent(r -> {
                String other = seen.putIfAbsent(r, target);
                if (other != null) {
                    problems.add(new ConfigProblem("targets." + target, "targets " + other + " and " + target + " both point at "
                            + r.rdataToString() + "; each member needs its own " + config.recordType() + " value"));
                }
            });
        });
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "timeout must be positive, got " + config.timeout()));
        }
        return problems;
    }

    private static String example(DnsConfig.RecordType type) {
        return switch (type) {
            case A -> "IPv4 address, e.g. { dc1: 192.0.2.10, dr1: 198.51.100.10 }";
            case AAAA -> "IPv6 address, e.g. { dc1: 2001:db8:1::10, dr1: 2001:db8:2::10 }";
            case CNAME -> "host name, e.g. { dc1: lb.dc1.example.net., dr1: lb.dr1.example.net. }";
        };
    }

    private static <T> Optional<T> check(List<ConfigProblem> problems, String field, Supplier<T> parse) {
        return check(problems, field, parse, "");
    }

    /** Runs one of {@link DnsValues}' parsers and turns its refusal into a problem of {@code field}. */
    private static <T> Optional<T> check(List<ConfigProblem> problems, String field, Supplier<T> parse, String prefix) {
        try {
            return Optional.of(parse.get());
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(field, prefix + e.getMessage()));
            return Optional.empty();
        }
    }

    @Override
    public TrafficSwitch create(DnsConfig config, ConnectorContext context) {
        return new DnsSwitch(config, context.clock());
    }
}
