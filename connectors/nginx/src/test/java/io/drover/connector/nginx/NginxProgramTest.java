package io.drover.connector.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Finding the pid file in what {@code nginx -T} prints. */
class NginxProgramTest {
    @Test
    void thePidDirectiveIsTheOneOutsideEveryBlockOfAnyFile() {
        assertThat(NginxProgram.pidDirective("""
                # configuration file /etc/nginx/nginx.conf:
                user www-data;   # pid /wrong/comment.pid;
                include /etc/nginx/modules-enabled/*.conf;
                http {
                  map $x $y { pid wrong; }
                  log_format main '{ pid ; }';
                  include /etc/nginx/conf.d/*.conf;
                }

                # configuration file /etc/nginx/modules-enabled/pid.conf:
                pid "/run/nginx.pid";

                # configuration file /etc/nginx/conf.d/site.conf:
                server { listen 80; }
                """)).contains("/run/nginx.pid");
    }

    @Test
    void withoutAPidDirectiveThereIsNone() {
        assertThat(NginxProgram.pidDirective("""
                # configuration file /etc/nginx/nginx.conf:
                events {}
                http { server { location / { pid x; } } }
                """)).isEmpty();
    }
}
