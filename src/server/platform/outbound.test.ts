import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, OutboundRefusedError, outboundRequest, parseAddress, parseCidr, refusalOf, resolveChecked } from './outbound.js';

describe('outbound: address classification', () => {
  const refused: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['10.1.2.3', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /link-local/],
    ['100.64.0.1', /CGNAT/],
    ['100.127.255.255', /CGNAT/],
    ['0.0.0.0', /unspecified/],
    ['224.0.0.251', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /reserved/],
    ['192.0.2.10', /documentation/],
    ['198.51.100.7', /documentation/],
    ['203.0.113.99', /documentation/],
    ['198.18.0.1', /benchmarking/],
    ['192.0.0.8', /reserved/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['fd00::1', /unique-local/],
    ['fc12:3456::1', /unique-local/],
    ['ff02::1', /multicast/],
    ['2001:db8::1', /documentation/],
    ['fec0::1', /site-local/],
    ['::ffff:127.0.0.1', /loopback.*embedded/],
    ['::ffff:7f00:1', /loopback.*embedded/],
    ['::ffff:169.254.169.254', /link-local.*embedded/],
    ['::ffff:10.0.0.1', /private.*embedded/],
    ['::127.0.0.1', /loopback.*embedded/],
    ['64:ff9b::7f00:1', /loopback.*embedded/],
    ['64:ff9b::a9fe:a9fe', /link-local.*embedded/],
    ['64:ff9b:1::1', /NAT64/],
    ['2002:7f00:1::1', /loopback.*embedded/],
    ['2002:c0a8:101::1', /private.*embedded/],
    ['2001::1', /reserved/],
    ['100::1', /discard/],
    ['::2', /unspecified.*embedded/],
    ['4000::1', /reserved/],
  ];
  it.each(refused)('%s is refused (%s)', (address, reason) => {
    expect(classifyAddress(address)).toMatch(reason);
    expect(refusalOf(address)).toMatch(reason);
  });

  const allowed = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '169.255.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
  it.each(allowed)('%s is public', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });

  it('text that is not an address is not public', () => {
    expect(classifyAddress('localhost')).toBe('not an IP address');
    expect(classifyAddress('1.2.3')).toBe('not an IP address');
    expect(parseAddress('1.2.3.4.5')).toBeNull();
  });

  it('an allowance lets its networks through, and only those', () => {
    const policy = { allowed: [parseCidr('10.0.0.0/8')!, parseCidr('127.0.0.1/32')!, parseCidr('fd00::/8')!] };
    expect(refusalOf('10.20.30.40', policy)).toBeNull();
    expect(refusalOf('127.0.0.1', policy)).toBeNull();
    expect(refusalOf('::ffff:127.0.0.1', policy)).toBeNull();
    expect(refusalOf('fd12::1', policy)).toBeNull();
    expect(refusalOf('127.0.0.2', policy)).toMatch(/loopback/);
    expect(refusalOf('::1', policy)).toMatch(/loopback/);
    expect(refusalOf('192.168.0.1', policy)).toMatch(/private/);
    expect(refusalOf('169.254.169.254', policy)).toMatch(/link-local/);
  });

  it('parses CIDRs and refuses malformed ones', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(parseCidr('127.0.0.1')).toMatchObject({ family: 4, prefix: 32 });
    expect(parseCidr('fd00::/8')).toMatchObject({ family: 6, prefix: 8 });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ prefix: 0 });
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0/8', 'example.org/8', '10.0.0.0/', '/8', '', '10.0.0.0/8/8', 'fe80::1%eth0/64']) expect(parseCidr(bad), bad).toBeNull();
  });
});

describe('outbound: requests', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/redirect-loopback') {
        res.writeHead(302, { location: `http://localhost:${port}/ok` });
        return res.end();
      }
      if (req.url === '/redirect-metadata') {
        res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
        return res.end();
      }
      if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${req.headers.authorization ?? ''}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const allow = { allowed: [parseCidr('127.0.0.1/32')!] };

  it('refuses loopback by default, by address and by name, before connecting', async () => {
    await expect(outboundRequest(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(outboundRequest(`http://[::1]:${port}/`)).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(outboundRequest(`http://localhost:${port}/`)).rejects.toThrow(/localhost resolves to a loopback address/);
    await expect(outboundRequest('http://169.254.169.254/latest/meta-data/')).rejects.toThrow(/link-local/);
    await expect(resolveChecked('localhost')).rejects.toBeInstanceOf(OutboundRefusedError);
  });

  it('with the allowance, fetches from the allowed network', async () => {
    const res = await outboundRequest(`http://127.0.0.1:${port}/`, { policy: allow, headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok Bearer x');
  });

  it('checks every redirect hop, and refuses where the allowance does not reach', async () => {
    // localhost may resolve to ::1 too, which 127.0.0.1/32 does not allow.
    const both = { allowed: [parseCidr('127.0.0.1/32')!, parseCidr('::1/128')!] };
    const ok = await outboundRequest(`http://127.0.0.1:${port}/redirect-loopback`, { policy: both, headers: { authorization: 'Bearer x' } });
    expect(ok.status).toBe(200);
    // Another origin: the credentials stayed behind.
    expect(ok.body).toBe('ok ');
    await expect(outboundRequest(`http://127.0.0.1:${port}/redirect-metadata`, { policy: allow })).rejects.toThrow(/169\.254\.169\.254.*link-local/);
    await expect(outboundRequest(`http://127.0.0.1:${port}/loop`, { policy: allow })).rejects.toThrow(/Too many redirects/);
    await expect(outboundRequest(`http://127.0.0.1:${port}/redirect-metadata`, { policy: allow, maxRedirects: 0 })).rejects.toThrow(/Too many redirects/);
  });
});
