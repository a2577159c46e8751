//! Where a webhook may point: never at the server's own loopback, nor at private, link-local,
//! shared or reserved addresses (the cloud metadata service at 169.254.169.254 among them),
//! unless the operator allows it. Checked when a hook is registered and again, on the addresses
//! the name resolves to at that moment, before each delivery, which then connects to the
//! address checked (no second lookup a DNS rebinding could answer differently) and follows no
//! redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The longest URL a hook may have.
pub const MAX_URL_BYTES: usize = 2048;

/// Why a webhook's target is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("the URL is not valid: {0}")]
    Invalid(String),
    #[error("the URL is longer than {MAX_URL_BYTES} bytes")]
    TooLong,
    #[error("only http and https URLs are accepted")]
    Scheme,
    #[error("the URL may not carry a user name or password")]
    Credentials,
    #[error("the host {0} cannot be resolved")]
    Unresolved(String),
    #[error(
        "the address {0} is loopback, private or reserved; the operator has not allowed such targets"
    )]
    Forbidden(IpAddr),
}

/// A URL checked for the form a hook may have (before any lookup).
pub fn parse(raw: &str) -> Result<reqwest::Url, TargetError> {
    if raw.len() > MAX_URL_BYTES {
        return Err(TargetError::TooLong);
    }
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| TargetError::Invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::Scheme);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    if url.host().is_none() {
        return Err(TargetError::Invalid("no host".into()));
    }
    Ok(url)
}

/// The address to connect to for `url`: every address its host resolves to must be allowed,
/// and the first is used.
pub async fn resolve(url: &reqwest::Url, allow_private: bool) -> Result<SocketAddr, TargetError> {
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(url::Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|_| TargetError::Unresolved(name.to_owned()))?
            .collect(),
        None => Vec::new(),
    };
    let first = *addrs
        .first()
        .ok_or_else(|| TargetError::Unresolved(url.host_str().unwrap_or("").to_owned()))?;
    if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(TargetError::Forbidden(bad.ip()));
    }
    Ok(first)
}

/// Whether an address is one the open Internet routes to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || a == 0
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24; benchmarking, 198.18.0.0/15.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        // Reserved, 240.0.0.0/4.
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local, fc00::/7; link-local, fe80::/10.
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        // Documentation, 2001:db8::/32; IPv4-compatible (deprecated) ::/96.
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[..6] == [0, 0, 0, 0, 0, 0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_metadata_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} passed as public");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} refused");
        }
    }

    #[test]
    fn odd_spellings_of_loopback_are_normalised_before_the_check() {
        for raw in [
            "http://2130706433/",
            "http://0x7f000001/",
            "http://127.1/",
            "http://[::ffff:7f00:1]/",
        ] {
            let url = parse(raw).unwrap();
            let ip = match url.host() {
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
                other => panic!("{raw} parsed as {other:?}"),
            };
            assert!(!is_public(ip), "{raw}");
        }
    }

    #[test]
    fn urls_with_credentials_or_other_schemes_are_refused() {
        assert_eq!(
            parse("ftp://example.org/").unwrap_err(),
            TargetError::Scheme
        );
        assert_eq!(
            parse("file:///etc/passwd").unwrap_err(),
            TargetError::Scheme
        );
        assert_eq!(
            parse("https://user:pw@example.org/").unwrap_err(),
            TargetError::Credentials
        );
        assert_eq!(
            parse(&format!("https://example.org/{}", "a".repeat(3000))).unwrap_err(),
            TargetError::TooLong
        );
    }
}
