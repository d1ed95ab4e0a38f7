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
#define PASSWORD 274
#define PASSWORDFILE 275
#define PORT 276
#define PUBLICKEY 277
#define REALM 278
#define RELAY 279
#define SECRET 280
#define SECRETFILE 281
#define SIGNAL 282
#define USERNAME 283
#define USERSPACE 284
#define WIREGUARD 285
#define ERROR 286
#define STRING 287
#define NUMBER 288

#endif /* _yy_defines_h_ */
