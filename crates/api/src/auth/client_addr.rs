//! The client's address for the attempt limits and the audit log.
//!
//! Behind a reverse proxy every request comes from the proxy, so the peer address would put all
//! clients under one limit. `X-Forwarded-For` names the real client, but anyone can send that
//! header: it is believed only when the peer is a configured trusted proxy, and then only up to
//! the rightmost hop that is not itself a trusted proxy (the hops left of it were written by the
//! client and may be forged).

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`; the error names the bad entry.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.as_ref().trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{entry}` is neither an IP address nor a CIDR range"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request whose TCP peer is `peer` and whose `X-Forwarded-For` headers
    /// (in order) are `forwarded`.
    pub fn client(&self, peer: IpAddr, forwarded: &[&str]) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded
            .iter()
            .flat_map(|header| header.split(','))
            .map(str::trim)
            .filter(|hop| !hop.is_empty());
        for hop in hops.rev() {
            // A hop our own proxy could not have written ends the walk at the last good one.
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }

    /// The client of an actix request, as text (for limit keys and the audit log).
    pub fn client_of(&self, req: &HttpRequest) -> String {
        let Some(peer) = req.peer_addr() else {
            return "unknown".into();
        };
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .collect();
        self.client(peer.ip(), &forwarded).to_string()
    }
}

/// The part of a client's address that an attempt limit counts: an IPv4 address, or the /64
/// network of an IPv6 one. One IPv6 host is usually given a whole /64 and can rotate through
/// it, so limiting its single addresses would not limit it at all. `client` is what
/// [`TrustedProxies::client_of`] returns; anything else is kept as it is.
pub fn limit_scope(client: &str) -> String {
    match client.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => ipnet::Ipv6Net::new(v6, 64)
            .map_or_else(|_| client.to_owned(), |net| net.trunc().to_string()),
        _ => client.to_owned(),
    }
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|s| s.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap_or_default();
        assert_eq!(
            proxies.client(ip("203.0.113.7"), &["1.1.1.1"]),
            ip("203.0.113.7")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &["1.1.1.1"]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8", "192.0.2.1"]).unwrap_or_default();
        // The client forged "6.6.6.6"; the proxy appended the address it saw.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.4"]),
            ip("198.51.100.4")
        );
        // Two proxies in a row, the header split over two lines.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.4", "192.0.2.1"]),
            ip("198.51.100.4")
        );
        // Ports and brackets as some proxies write them.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["[2001:db8::1]:4711"]),
            ip("2001:db8::1")
        );
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["198.51.100.4:4711"]),
            ip("198.51.100.4")
        );
        // No header: the proxy itself.
        assert_eq!(proxies.client(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
        // Garbage: the last hop that parsed.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["198.51.100.4, nonsense"]),
            ip("10.0.0.2")
        );
        // Every hop trusted: the leftmost one.
        assert_eq!(
            proxies.client(ip("10.0.0.2"), &["10.1.1.1, 192.0.2.1"]),
            ip("10.1.1.1")
        );
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_ranges() {
        let proxies = TrustedProxies::parse(&["127.0.0.1"]).unwrap_or_default();
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &["198.51.100.4"]),
            ip("198.51.100.4")
        );
    }

    #[test]
    fn ipv6_clients_are_limited_per_64_network() {
        assert_eq!(limit_scope("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            limit_scope("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            limit_scope("2001:db8:1:2::7")
        );
        assert_ne!(
            limit_scope("2001:db8:1:3::1"),
            limit_scope("2001:db8:1:2::1")
        );
        assert_eq!(limit_scope("198.51.100.4"), "198.51.100.4");
        assert_eq!(limit_scope("unknown"), "unknown");
        // An IPv4 client reaching a dual-stack listener is limited as IPv4 (the client is canonical).
        let client = TrustedProxies::default()
            .client(ip("::ffff:198.51.100.4"), &[])
            .to_string();
        assert_eq!(limit_scope(&client), "198.51.100.4");
    }

    #[test]
    fn a_bad_entry_is_named() {
        let error = TrustedProxies::parse(&["10.0.0.0/8", "proxy.local"])
            .err()
            .unwrap_or_default();
        assert!(error.contains("proxy.local"), "{error}");
        assert!(TrustedProxies::parse(&["10.0.0.0/33"]).is_err());
    }
}
