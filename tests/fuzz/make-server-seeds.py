#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes the seed corpus of fuzz-server (see the input layout at the top of
# fuzz-server.c): one request per route and method, with each kind of token,
# body and framing, and a few raw requests.
#
#   /usr/bin/python3 tests/fuzz/make-server-seeds.py tests/fuzz/corpus/server
#
# Files named regress-* in that folder are findings, kept by hand.

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

METHOD = {'GET': 0, 'HEAD': 2, 'POST': 3, 'PUT': 5, 'DELETE': 6, 'OPTIONS': 7}
PATH = {'health': 0, 'me': 1, 'keys': 2, 'reports': 3, 'reviews': 4, 'questionnaires': 5,
        'report': 6, 'review': 7, 'questionnaire': 8, 'organisation': 9, 'supplier-keys': 10,
        'limit': 11, 'cursor': 12, 'review-cursor': 13, 'prefix': 14, 'free': 15}
AUTH = {'none': 0, 'supplier': 1, 'buyer': 2, 'buyer-lower': 3, 'revoked': 4, 'unknown': 5,
        'wrong-secret': 6, 'basic': 7}
TYPE = {'none': 0, 'jose': 1, 'json': 2, 'jwk': 3, 'text': 4, 'jose-charset': 5, 'jose-upper': 6,
        'problem': 7}
BODY = {'as-is': 0, 'report': 1, 'review': 2, 'stranger': 3, 'wrong-typ': 4, 'report-by-buyer': 5,
        'revoked-key': 6, 'forged': 7}
FRAME = {'length': 0, 'none': 4, 'chunked': 5, 'cut': 6, 'too-large': 7}

# The report fuzz-server stores at start, and the SHA-256 of its signed
# form (Ed25519 signatures are deterministic; computed with tests/jws-helper).
FIRST_REPORT_ID = '0adef03d-0584-4cb2-9299-9622b92806a4'
FIRST_REPORT_SHA256 = '90c8f6b7fe0f579137cb93ee056042d2215facbe709aafa2c884f79dd1583a23'


def read(*parts):
    with open(os.path.join(HERE, '..', *parts), 'rb') as f:
        return f.read()


def structured(method, path, auth='none', ctype='none', body='as-is', frame='length', expect=False,
               line=b'', payload=b''):
    first = METHOD[method] | (FRAME[frame] << 3) | (0x40 if expect else 0)
    return bytes([first, PATH[path], AUTH[auth], TYPE[ctype], BODY[body]]) + line + b'\n' + payload


def raw(text):
    return b'\x80' + text


def main(out):
    os.makedirs(out, exist_ok=True)
    report = read('fuzz', 'corpus', 'report', 'report-full.json')
    new_report = report.replace(b'0adef03d-0584-4cb2-9299-9622b92806a4', b'1bdef03d-0584-4cb2-9299-9622b92806a5')
    quick = read('fuzz', 'corpus', 'report', 'report-quick-scan.json')
    review = read('fuzz', 'corpus', 'report', 'review.json')
    review = review.replace(b'9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
                            FIRST_REPORT_SHA256.encode())
    questionnaire = read('data', 'valid', 'minimal.json')
    jwk = (b'{"crv":"Ed25519","kty":"OKP","x":"OllvrWZzMgOBF9Ug6jG1ubxcDoEA9kEgqNtdQbK1qsM"}')

    seeds = {
        'health': structured('GET', 'health'),
        'health-head': structured('HEAD', 'health'),
        'me': structured('GET', 'me', 'supplier'),
        'me-revoked': structured('GET', 'me', 'revoked'),
        'me-unknown': structured('GET', 'me', 'unknown'),
        'me-wrong-secret': structured('GET', 'me', 'wrong-secret'),
        'me-basic': structured('GET', 'me', 'basic'),
        'me-lower-case': structured('GET', 'me', 'buyer-lower'),
        'me-delete': structured('DELETE', 'me', 'supplier'),
        'keys': structured('GET', 'keys', 'buyer'),
        'keys-enrol': structured('POST', 'keys', 'supplier', 'jwk', line=b'', payload=jwk),
        'keys-enrol-json': structured('POST', 'keys', 'buyer', 'json', payload=jwk),
        'keys-enrol-garbage': structured('POST', 'keys', 'buyer', 'jwk', payload=b'{"kty":"oct","k":"AAAA"}'),
        'supplier-keys': structured('GET', 'supplier-keys', 'buyer'),
        'organisation-keys': structured('GET', 'organisation', 'buyer', line=b'be%200207.335.822/keys'),
        'report-new': structured('POST', 'reports', 'supplier', 'jose', 'report', payload=new_report),
        'report-duplicate': structured('POST', 'reports', 'supplier', 'jose', 'report', payload=report),
        'report-quick-scan': structured('POST', 'reports', 'supplier', 'jose', 'report', payload=quick),
        'report-stranger': structured('POST', 'reports', 'supplier', 'jose', 'stranger', payload=new_report),
        'report-wrong-typ': structured('POST', 'reports', 'supplier', 'jose', 'wrong-typ', payload=new_report),
        'report-by-buyer': structured('POST', 'reports', 'buyer', 'jose', 'report-by-buyer', payload=new_report),
        'report-revoked-key': structured('POST', 'reports', 'supplier', 'jose', 'revoked-key', payload=new_report),
        'report-forged': structured('POST', 'reports', 'supplier', 'jose', 'forged', payload=new_report),
        'report-charset': structured('POST', 'reports', 'supplier', 'jose-charset', 'report', payload=report),
        'report-json': structured('POST', 'reports', 'supplier', 'json', 'report', payload=report),
        'report-not-jws': structured('POST', 'reports', 'supplier', 'jose', payload=b'eyJhbGciOiJub25lIn0..'),
        'report-expect': structured('POST', 'reports', 'supplier', 'jose', 'report', expect=True, payload=report),
        'report-chunked': structured('POST', 'reports', 'supplier', 'jose', 'report', 'chunked', payload=report),
        'report-no-length': structured('POST', 'reports', 'supplier', 'jose', 'report', 'none', payload=report),
        'report-cut': structured('POST', 'reports', 'supplier', 'jose', 'report', 'cut', payload=report),
        'report-too-large': structured('POST', 'reports', 'supplier', 'jose', 'report', 'too-large',
                                       payload=report),
        'report-too-large-expect': structured('POST', 'reports', 'supplier', 'jose', 'report', 'too-large',
                                              expect=True, payload=report),
        'report-put': structured('PUT', 'reports', 'supplier', 'jose', 'report', payload=report),
        'review': structured('POST', 'reviews', 'buyer', 'jose', 'review', payload=review),
        'review-by-supplier': structured('POST', 'reviews', 'supplier', 'jose', 'wrong-typ', payload=review),
        'reports': structured('GET', 'reports', 'buyer'),
        'reports-limit': structured('GET', 'limit', 'buyer', line=b'1'),
        'reports-limit-bad': structured('GET', 'limit', 'buyer', line=b'201'),
        'reports-cursor': structured('GET', 'cursor', 'buyer', line=b'YzEuMQ'),
        'reports-cursor-bad': structured('GET', 'cursor', 'buyer', line=b'YzEuLTE'),
        'reviews-cursor': structured('GET', 'review-cursor', 'supplier', line=b'YzEuOTIyMzM3MjAzNjg1NDc3NTgwNw'),
        'report-fetch': structured('GET', 'report', 'buyer', line=FIRST_REPORT_ID.encode()),
        'report-fetch-head': structured('HEAD', 'report', 'supplier', line=FIRST_REPORT_ID.encode()),
        'report-fetch-dots': structured('GET', 'report', 'buyer', line=b'..%2F..%2Fme'),
        'review-fetch': structured('GET', 'review', 'supplier', line=b'5cf1e60a-a751-4771-a15c-4d76694f4ab9'),
        'questionnaire-publish': structured('POST', 'questionnaires', 'buyer', 'json', payload=questionnaire),
        'questionnaire-by-supplier': structured('POST', 'questionnaires', 'supplier', 'json',
                                                payload=questionnaire),
        'questionnaires': structured('GET', 'questionnaires', 'supplier'),
        'questionnaire-fetch': structured('GET', 'questionnaire', 'supplier', line=b'0' * 64),
        'prefix': structured('OPTIONS', 'prefix', 'supplier'),
        'free-path': structured('GET', 'free', 'supplier', line=b'/api/v1/../v1/me'),
        'raw-get': raw(b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n'),
        'raw-http10': raw(b'GET /api/v1/health HTTP/1.0\r\n\r\n'),
        'raw-http2': raw(b'GET /api/v1/health HTTP/2.0\r\n\r\n'),
        'raw-pipelined': raw(b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n'
                             b'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n'),
        'raw-bad-chunk': raw(b'POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
                             b'fffffffffffffffff\r\n'),
        'raw-two-lengths': raw(b'POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n'
                               b'Content-Length: 2\r\n\r\nab'),
        'raw-expect-unknown': raw(b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n'),
        'raw-gzip': raw(b'POST /api/v1/keys HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n'),
        'raw-no-version': raw(b'GET /\r\n\r\n'),
        'raw-absolute': raw(b'GET http://127.0.0.1/api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n'),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main(sys.argv[1])
