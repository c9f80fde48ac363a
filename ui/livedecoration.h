#pragma once

#include "live/liveclustermodel.h"

#include <QIdentityProxyModel>

namespace Tribune {

// Colours the live tree: a dot per row (green healthy, amber suspect or draining, red failed or
// DOWN, grey left) and the state text in the same colour, so a failure stands out at a glance.
class LiveDecoration final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveDecoration)

public:
    explicit LiveDecoration(QObject *parent = nullptr);
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    using Tone = LiveClusterModel::Tone;
    static QColor colour(Tone tone);
    Tone toneOf(const QModelIndex &index) const;
};

} // namespace Tribune
