#ifndef _yy_defines_h_
#define _yy_defines_h_

#define ACCEPT 257
#define ADDRESS 258
#define ALLOWEDIPS 259
#define ENDPOINT 260
#define EXCLUDE 261
#define INACTIVITY 262
#define INCLUDE 263
#define INTERFACE 264
#define KEEPALIVE 265
#define KEY 266
#define KEYS 267
#define LAZYCONN 268
#define LISTEN 269
#define MTU 270
#define NETLOCK 271
#define PEER 272
#define PEERPORT 273
#define PORT 274
#define PUBLICKEY 275
#define RELAY 276
#define SIGNAL 277
#define USERSPACE 278
#define WIREGUARD 279
#define ERROR 280
#define STRING 281
#define NUMBER 282

#endif /* _yy_defines_h_ */
