/* SPDX-License-Identifier: MIT */
/* Interface constants (kernel uapi linux/if.h, linux/if_link.h). R-K-1, R-K-24, R-K-25. */
#ifndef UNETDEV_IF_H
#define UNETDEV_IF_H

#define IFNAMSIZ     16
#define IFALIASZ     256
#define MAX_ADDR_LEN 32

#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_DEBUG	0x4
#define IFF_LOOPBACK	0x8
#define IFF_POINTOPOINT 0x10
#define IFF_NOTRAILERS	0x20
#define IFF_RUNNING	0x40
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200
#define IFF_MASTER	0x400
#define IFF_SLAVE	0x800
#define IFF_MULTICAST	0x1000
#define IFF_PORTSEL	0x2000
#define IFF_AUTOMEDIA	0x4000
#define IFF_DYNAMIC	0x8000
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000
#define IFF_ECHO	0x40000
#define IFF_VOLATILE                                                                               \
	(IFF_LOOPBACK | IFF_POINTOPOINT | IFF_BROADCAST | IFF_ECHO | IFF_MASTER | IFF_SLAVE |      \
	 IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)

enum {
	IF_OPER_UNKNOWN,
	IF_OPER_NOTPRESENT,
	IF_OPER_DOWN,
	IF_OPER_LOWERLAYERDOWN,
	IF_OPER_TESTING,
	IF_OPER_DORMANT,
	IF_OPER_UP,
};

enum {
	IF_LINK_MODE_DEFAULT,
	IF_LINK_MODE_DORMANT,
	IF_LINK_MODE_TESTING,
};

#endif
