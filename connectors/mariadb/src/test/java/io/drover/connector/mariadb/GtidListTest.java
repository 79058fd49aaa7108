package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** MariaDB GTID lists: parsing, where a member resumes, what another server lacks, how far behind. */
class GtidListTest {

    @Test
    void parsesAndPrintsAListAndTheEmptyOne() {
        assertThat(GtidList.parse("0-1-42, 1-3-7").toString()).isEqualTo("0-1-42,1-3-7");
        assertThat(GtidList.parse("").isEmpty()).isTrue();
        assertThat(GtidList.parse(null).isEmpty()).isTrue();
        assertThatThrownBy(() -> GtidList.parse("0-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0-1'");
        assertThatThrownBy(() -> GtidList.parse("0-x-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMemberResumesAfterItsNewestGtidPerDomainFromItsBinaryLogOrWhatItReplicated() {
        // A former replica without log_slave_updates: its slave position is newer than its own binary log.
        assertThat(GtidList.parse("0-2-10,1-2-3").newestPerDomain(GtidList.parse("0-1-12")).toString())
                .isEqualTo("0-1-12,1-2-3");
        assertThat(GtidList.parse("0-2-15").newestPerDomain(GtidList.parse("0-1-12")).toString()).isEqualTo("0-2-15");
    }

    @Test
    void gtidsAreMissingWhenTheOtherStateHasAnOlderOrNoSequenceOfThatServer() {
        GtidList primaryState = GtidList.parse("0-1-10,0-2-14,1-5-3");
        assertThat(GtidList.parse("0-1-10").missingFrom(primaryState)).isEmpty();
        assertThat(GtidList.parse("0-2-12,1-5-3").missingFrom(primaryState)).isEmpty();
        // The old primary wrote 0-1-11 after the failover; the new primary has only up to 0-1-10.
        assertThat(GtidList.parse("0-1-11").missingFrom(primaryState)).extracting(Object::toString).containsExactly("0-1-11");
        assertThat(GtidList.parse("2-9-1,0-1-9").missingFrom(primaryState)).extracting(Object::toString)
                .containsExactly("2-9-1");
    }

    @Test
    void transactionsAheadCountSequenceNumbersPerDomain() {
        assertThat(GtidList.parse("0-1-57,1-3-5").transactionsAhead(GtidList.parse("0-1-55,1-3-5"))).isEqualTo(2);
        assertThat(GtidList.parse("0-1-57").transactionsAhead(GtidList.parse(""))).isEqualTo(57);
        assertThat(GtidList.parse("0-1-57").transactionsAhead(GtidList.parse("0-1-60"))).isZero();
    }
}
