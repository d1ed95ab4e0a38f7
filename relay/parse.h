#ifndef _yy_defines_h_
#define _yy_defines_h_

#define ALLOWPEER 257
#define AUTHFAILRATE 258
#define BANDWIDTH 259
#define BURST 260
#define DENYPEER 261
#define INCLUDE 262
#define KEY 263
#define LISTEN 264
#define MAXALLOCS 265
#define MAXALLOCSSRC 266
#define MAXALLOCSUSER 267
#define MAXCHANS 268
#define MAXPERMS 269
#define NONCELIFE 270
#define ON 271
#define PORT 272
#define RATELIMIT 273
#define RATETABLE 274
#define REALM 275
#define RELAYADDR 276
#define RELAYPORTS 277
#define SECRET 278
#define SERVERS 279
#define SIGNAL 280
#define TLS 281
#define TLSCERT 282
#define TLSKEY 283
#define TOTALBANDWIDTH 284
#define ERROR 285
#define STRING 286
#define NUMBER 287
#define CONTROLSOCK 288

#endif /* _yy_defines_h_ */
