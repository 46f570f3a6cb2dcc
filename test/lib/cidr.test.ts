import { describe, expect, it } from '@jest/globals';
import { cidrContains, ipInAny, isCidr } from '../../src/lib/cidr.js';

describe('cidr containment', () => {
  it('matches IPv4 addresses inside the network and not outside', () => {
    expect(cidrContains('203.0.113.0/24', '203.0.113.0')).toBe(true);
    expect(cidrContains('203.0.113.0/24', '203.0.113.255')).toBe(true);
    expect(cidrContains('203.0.113.0/24', '203.0.114.0')).toBe(false);
    expect(cidrContains('203.0.112.0/24', '203.0.113.7')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '10.255.1.2')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.1')).toBe(false);
  });

  it('handles /0 and /32 boundaries', () => {
    expect(cidrContains('0.0.0.0/0', '198.51.100.7')).toBe(true);
    expect(cidrContains('198.51.100.7/32', '198.51.100.7')).toBe(true);
    expect(cidrContains('198.51.100.7/32', '198.51.100.8')).toBe(false);
    expect(cidrContains('::/0', '2001:db8::1')).toBe(true);
    expect(cidrContains('2001:db8::1/128', '2001:db8::1')).toBe(true);
    expect(cidrContains('2001:db8::1/128', '2001:db8::2')).toBe(false);
  });

  it('matches IPv6 networks, compressed or not', () => {
    expect(cidrContains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:0db8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(cidrContains('2001:db8:abcd:12::/64', '2001:db8:abcd:12:ffff:ffff:ffff:ffff')).toBe(true);
    expect(cidrContains('2001:db8:abcd:12::/64', '2001:db8:abcd:13::')).toBe(false);
    expect(cidrContains('fe80::/10', 'fe80::1%eth0')).toBe(true);
  });

  it('treats IPv4-mapped IPv6 addresses as the IPv4 address they carry', () => {
    expect(cidrContains('203.0.113.0/24', '::ffff:203.0.113.9')).toBe(true);
    expect(cidrContains('203.0.113.0/24', '::FFFF:203.0.114.9')).toBe(false);
    expect(cidrContains('203.0.113.0/24', '::ffff:cb00:7109')).toBe(true);
    expect(cidrContains('::ffff:203.0.113.0/120', '203.0.113.200')).toBe(true);
    expect(cidrContains('::ffff:203.0.113.0/120', '203.0.114.1')).toBe(false);
  });

  it('never matches across families', () => {
    expect(cidrContains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(cidrContains('::/0', '203.0.113.9')).toBe(false);
    expect(cidrContains('2001:db8::/32', '::ffff:203.0.113.9')).toBe(false);
  });

  it('fails closed on malformed input', () => {
    expect(cidrContains('203.0.113.0/33', '203.0.113.1')).toBe(false);
    expect(cidrContains('203.0.113.0', '203.0.113.0')).toBe(false);
    expect(cidrContains('not-a-network/8', '10.0.0.1')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '10.0.0')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '10.0.0.1.5')).toBe(false);
    expect(isCidr('2001:db8::/129')).toBe(false);
  });

  it('ipInAny matches any listed network and nothing for an empty list', () => {
    const ranges = ['203.0.113.0/24', '2001:db8::/32'];
    expect(ipInAny(ranges, '203.0.113.50')).toBe(true);
    expect(ipInAny(ranges, '2001:db8::50')).toBe(true);
    expect(ipInAny(ranges, '::ffff:203.0.113.50')).toBe(true);
    expect(ipInAny(ranges, '198.51.100.1')).toBe(false);
    expect(ipInAny([], '203.0.113.50')).toBe(false);
  });
});
