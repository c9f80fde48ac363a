// libFuzzer target: the ELB's loadbalancer.conf reader.
#include "config/configerror.h"
#include "config/loadbalancerconf.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Tribune::Config::ConfigError error;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<Tribune::Config::LoadBalancerConf> conf =
        Tribune::Config::LoadBalancerConf::parse(text, QStringLiteral("loadbalancer.conf"), &error);
    if (conf)
        (void)conf->groups().size();
    return 0;
}
